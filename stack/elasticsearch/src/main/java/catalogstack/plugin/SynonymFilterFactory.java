package catalogstack.plugin;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService.IndexCreationContext;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;

/**
 * {@code synonym} / {@code synonym_graph} token filters with inline {@code synonyms} or a {@code synonyms_path} file
 * (relative to the node's config dir), Solr or WordNet format, {@code expand}, {@code lenient} and {@code updateable}
 * (search-time only). Rules are analyzed with the preceding part of the analysis chain, as in Elasticsearch.
 * {@code synonyms_set} (the synonyms API) is not supported.
 */
final class SynonymFilterFactory implements TokenFilterFactory {
    private final String name;
    private final boolean graph;
    private final boolean expand;
    private final boolean lenient;
    private final String format;
    private final List<String> rules;
    private final AnalysisMode mode;

    SynonymFilterFactory(Environment env, String name, Settings s, boolean graph) {
        this.name = name;
        this.graph = graph;
        if (s.get("synonyms_set") != null) {
            throw new IllegalArgumentException("[" + name + "]: synonyms_set is not supported by the local stack node; use synonyms or synonyms_path");
        }
        this.rules = Analysis.getWordList(env, s, "synonyms");
        if (rules == null) {
            throw new IllegalArgumentException("synonym requires either `synonyms`, `synonyms_set` or `synonyms_path` to be configured");
        }
        this.expand = s.getAsBoolean("expand", true);
        this.lenient = s.getAsBoolean("lenient", false);
        this.format = s.get("format", "").toLowerCase(Locale.ROOT);
        this.mode = s.getAsBoolean("updateable", false) ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TokenStream create(TokenStream ts) {
        throw new IllegalStateException("Call getChainAwareTokenFilterFactory to specialize this factory for an analysis chain first");
    }

    @Override
    public AnalysisMode getAnalysisMode() {
        return mode;
    }

    @Override
    public TokenFilterFactory getChainAwareTokenFilterFactory(
        IndexCreationContext context,
        TokenizerFactory tokenizer,
        List<CharFilterFactory> charFilters,
        List<TokenFilterFactory> previousTokenFilters,
        Function<String, TokenFilterFactory> allFilters
    ) {
        Analyzer ruleAnalyzer = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer t = tokenizer.create();
                TokenStream ts = t;
                for (TokenFilterFactory f : previousTokenFilters) {
                    ts = f.getSynonymFilter().create(ts);
                }
                return new TokenStreamComponents(t, ts);
            }

            @Override
            protected Reader initReader(String fieldName, Reader reader) {
                for (CharFilterFactory cf : charFilters) {
                    reader = cf.create(reader);
                }
                return reader;
            }
        };
        final SynonymMap map;
        try {
            map = buildMap(ruleAnalyzer);
        } catch (Exception e) {
            throw new IllegalArgumentException("failed to build synonyms for [" + name + "]: " + e.getMessage(), e);
        } finally {
            ruleAnalyzer.close();
        }
        final String n = name;
        final boolean g = graph;
        final AnalysisMode m = mode;
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return n;
            }

            @Override
            public TokenStream create(TokenStream ts) {
                if (map.fst == null) {
                    return ts;
                }
                return g ? new SynonymGraphFilter(ts, map, false) : new SynonymFilter(ts, map, false);
            }

            @Override
            public TokenFilterFactory getSynonymFilter() {
                // a synonym filter is not applied again while parsing the rules of a later synonym filter
                return IDENTITY_FILTER;
            }

            @Override
            public AnalysisMode getAnalysisMode() {
                return m;
            }
        };
    }

    private SynonymMap buildMap(Analyzer analyzer) throws IOException, ParseException {
        StringReader text = new StringReader(String.join("\n", rules));
        if (format.equals("wordnet")) {
            WordnetParser p = new WordnetParser(expand, lenient, analyzer);
            p.parse(text);
            return p.build();
        }
        SolrParser p = new SolrParser(expand, lenient, analyzer);
        p.parse(text);
        return p.build();
    }

    /** Solr-format parser; with lenient=true, rules that fail to analyze are skipped instead of failing the index. */
    private static final class SolrParser extends SolrSynonymParser {
        private final boolean lenient;

        SolrParser(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public CharsRef analyze(String t, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(t, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient == false) {
                    throw e;
                }
                reuse.clear();
                return reuse.get();
            }
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (input.length > 0 && output.length > 0) {
                super.add(input, output, includeOrig);
            }
        }
    }

    private static final class WordnetParser extends WordnetSynonymParser {
        private final boolean lenient;

        WordnetParser(boolean expand, boolean lenient, Analyzer analyzer) {
            super(true, expand, analyzer);
            this.lenient = lenient;
        }

        @Override
        public CharsRef analyze(String t, CharsRefBuilder reuse) throws IOException {
            try {
                return super.analyze(t, reuse);
            } catch (IllegalArgumentException e) {
                if (lenient == false) {
                    throw e;
                }
                reuse.clear();
                return reuse.get();
            }
        }

        @Override
        public void add(CharsRef input, CharsRef output, boolean includeOrig) {
            if (input.length > 0 && output.length > 0) {
                super.add(input, output, includeOrig);
            }
        }
    }
}
