package catalogstack.plugin;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.StopAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;

/** Built-in analyzers of the analysis-common module that this stack supports: whitespace, simple, stop, pattern, english. */
final class Analyzers {
    private Analyzers() {}

    private static AnalyzerProvider<? extends Analyzer> provider(String name, Settings s, Supplier<Analyzer> a) {
        Analyzer analyzer = a.get();
        return new AbstractIndexAnalyzerProvider<Analyzer>(name, s) {
            @Override
            public Analyzer get() {
                return analyzer;
            }
        };
    }

    static Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> all() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new HashMap<>();
        m.put("whitespace", (is, env, name, s) -> provider(name, s, WhitespaceAnalyzer::new));
        m.put("simple", (is, env, name, s) -> provider(name, s, SimpleAnalyzer::new));
        m.put("stop", (is, env, name, s) -> {
            CharArraySet stop = Analysis.parseStopWords(env, s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            return provider(name, s, () -> new StopAnalyzer(stop));
        });
        m.put("english", (is, env, name, s) -> {
            CharArraySet stop = Analysis.parseStopWords(env, s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            CharArraySet excl = Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET);
            return provider(name, s, () -> new EnglishAnalyzer(stop, excl));
        });
        m.put("pattern", (is, env, name, s) -> {
            Pattern pattern = Regex.compile(s.get("pattern", "\\W+"), s.get("flags"));
            boolean lowercase = s.getAsBoolean("lowercase", true);
            CharArraySet stop = Analysis.parseStopWords(env, s, CharArraySet.EMPTY_SET);
            return provider(name, s, () -> new Analyzer() {
                @Override
                protected TokenStreamComponents createComponents(String field) {
                    Tokenizer t = new PatternTokenizer(pattern, -1);
                    TokenStream ts = lowercase ? new LowerCaseFilter(t) : t;
                    return new TokenStreamComponents(t, new StopFilter(ts, stop));
                }

                @Override
                protected TokenStream normalize(String field, TokenStream in) {
                    return lowercase ? new LowerCaseFilter(in) : in;
                }
            });
        });
        return m;
    }
}
