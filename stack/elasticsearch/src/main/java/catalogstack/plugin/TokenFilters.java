package catalogstack.plugin;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.LimitTokenCountFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;

/** Token filters of the analysis-common module that this stack supports. */
final class TokenFilters {
    private TokenFilters() {}

    /** A filter factory that may also be used in normalizers (per-term, no token splitting). */
    static TokenFilterFactory normalizing(String name, Function<TokenStream, TokenStream> f) {
        return new NormalizingTokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream ts) {
                return f.apply(ts);
            }
        };
    }

    static TokenFilterFactory plain(String name, Function<TokenStream, TokenStream> f) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream ts) {
                return f.apply(ts);
            }
        };
    }

    static Map<String, AnalysisProvider<TokenFilterFactory>> all() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new HashMap<>();
        m.put("lowercase", (is, env, name, s) -> {
            String lang = s.get("language");
            if (lang == null) {
                return normalizing(name, LowerCaseFilter::new);
            }
            return switch (lang.toLowerCase(Locale.ROOT)) {
                case "greek" -> normalizing(name, GreekLowerCaseFilter::new);
                case "irish" -> normalizing(name, IrishLowerCaseFilter::new);
                case "turkish" -> normalizing(name, TurkishLowerCaseFilter::new);
                default -> throw new IllegalArgumentException("language [" + lang + "] not supported for lower case");
            };
        });
        m.put("uppercase", (is, env, name, s) -> normalizing(name, UpperCaseFilter::new));
        m.put("asciifolding", (is, env, name, s) -> {
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return new NormalizingTokenFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public TokenStream create(TokenStream ts) {
                    return new ASCIIFoldingFilter(ts, preserve);
                }

                @Override
                public TokenStream normalize(TokenStream ts) {
                    return new ASCIIFoldingFilter(ts, false);
                }
            };
        });
        m.put("decimal_digit", (is, env, name, s) -> normalizing(name, DecimalDigitFilter::new));
        m.put("trim", (is, env, name, s) -> normalizing(name, TrimFilter::new));
        m.put("reverse", (is, env, name, s) -> plain(name, ReverseStringFilter::new));
        m.put("flatten_graph", (is, env, name, s) -> plain(name, FlattenGraphFilter::new));
        m.put("length", (is, env, name, s) -> {
            int min = s.getAsInt("min", 0);
            int max = s.getAsInt("max", Integer.MAX_VALUE);
            return plain(name, ts -> new LengthFilter(ts, min, max));
        });
        m.put("truncate", (is, env, name, s) -> {
            int len = s.getAsInt("length", 10);
            return plain(name, ts -> new TruncateTokenFilter(ts, len));
        });
        m.put("limit", (is, env, name, s) -> {
            int max = s.getAsInt("max_token_count", 1);
            boolean all = s.getAsBoolean("consume_all_tokens", false);
            return plain(name, ts -> new LimitTokenCountFilter(ts, max, all));
        });
        m.put("unique", (is, env, name, s) -> {
            boolean samePos = s.getAsBoolean("only_on_same_position", false);
            return plain(name, ts -> samePos ? new RemoveDuplicatesTokenFilter(ts) : new UniqueFilter(ts));
        });
        m.put("edge_ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return plain(name, ts -> new EdgeNGramTokenFilter(ts, min, max, preserve));
        });
        m.put("ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return plain(name, ts -> new NGramTokenFilter(ts, min, max, preserve));
        });
        m.put("pattern_replace", (is, env, name, s) -> {
            String p = s.get("pattern");
            if (p == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] token filter of type 'pattern_replace'");
            }
            Pattern pattern = Regex.compile(p, s.get("flags"));
            String replacement = s.get("replacement", "");
            boolean all = s.getAsBoolean("all", true);
            return normalizing(name, ts -> new PatternReplaceFilter(ts, pattern, replacement, all));
        });
        m.put("keyword_marker", (is, env, name, s) -> {
            CharArraySet words = Analysis.getWordSet(env, s, "keywords");
            if (words == null) {
                throw new IllegalArgumentException("keyword filter requires either `keywords` or `keywords_path` to be configured");
            }
            return plain(name, ts -> new SetKeywordMarkerFilter(ts, words));
        });
        m.put("porter_stem", (is, env, name, s) -> plain(name, PorterStemFilter::new));
        m.put("kstem", (is, env, name, s) -> plain(name, KStemFilter::new));
        m.put("stemmer", (is, env, name, s) -> stemmer(name, s.get("language", s.get("name", "english"))));
        m.put("snowball", (is, env, name, s) -> {
            String lang = s.get("language", "English");
            return plain(name, ts -> new SnowballFilter(ts, lang));
        });
        m.put("word_delimiter_graph", (is, env, name, s) -> {
            int flags = 0;
            flags |= flag(s, "generate_word_parts", true, WordDelimiterGraphFilter.GENERATE_WORD_PARTS);
            flags |= flag(s, "generate_number_parts", true, WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS);
            flags |= flag(s, "catenate_words", false, WordDelimiterGraphFilter.CATENATE_WORDS);
            flags |= flag(s, "catenate_numbers", false, WordDelimiterGraphFilter.CATENATE_NUMBERS);
            flags |= flag(s, "catenate_all", false, WordDelimiterGraphFilter.CATENATE_ALL);
            flags |= flag(s, "split_on_case_change", true, WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE);
            flags |= flag(s, "preserve_original", false, WordDelimiterGraphFilter.PRESERVE_ORIGINAL);
            flags |= flag(s, "split_on_numerics", true, WordDelimiterGraphFilter.SPLIT_ON_NUMERICS);
            flags |= flag(s, "stem_english_possessive", true, WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE);
            boolean adjust = s.getAsBoolean("adjust_offsets", true);
            CharArraySet prot = Analysis.getWordSet(env, s, "protected_words");
            int f = flags;
            return plain(name, ts -> new WordDelimiterGraphFilter(ts, adjust, WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE, f, prot));
        });
        m.put("synonym", (is, env, name, s) -> new SynonymFilterFactory(env, name, s, false));
        m.put("synonym_graph", (is, env, name, s) -> new SynonymFilterFactory(env, name, s, true));
        // these have no usable defaults: ES must not instantiate them with empty settings for every index
        for (String n : new String[] {"pattern_replace", "keyword_marker", "synonym", "synonym_graph"}) {
            m.put(n, AnalysisPlugin.requiresAnalysisSettings(m.get(n)));
        }
        return m;
    }

    private static int flag(Settings s, String key, boolean def, int bit) {
        return s.getAsBoolean(key, def) ? bit : 0;
    }

    private static TokenFilterFactory stemmer(String name, String language) {
        return switch (language.toLowerCase(Locale.ROOT)) {
            case "english", "porter" -> plain(name, PorterStemFilter::new);
            case "light_english", "kstem" -> plain(name, KStemFilter::new);
            case "minimal_english" -> plain(name, EnglishMinimalStemFilter::new);
            case "possessive_english" -> plain(name, EnglishPossessiveFilter::new);
            case "porter2" -> plain(name, ts -> new SnowballFilter(ts, "English"));
            default -> {
                String snowball = Character.toUpperCase(language.charAt(0)) + language.substring(1).toLowerCase(Locale.ROOT);
                try {
                    Class.forName("org.tartarus.snowball.ext." + snowball + "Stemmer");
                } catch (ClassNotFoundException e) {
                    throw new IllegalArgumentException("stemmer language [" + language + "] is not supported by this local stack");
                }
                yield plain(name, ts -> new SnowballFilter(ts, snowball));
            }
        };
    }

    /** Drops tokens whose term text was already seen in the stream (the {@code unique} filter). */
    static final class UniqueFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);

        UniqueFilter(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                char[] buf = term.buffer();
                int len = term.length();
                if (seen.contains(buf, 0, len)) {
                    continue;
                }
                char[] copy = new char[len];
                System.arraycopy(buf, 0, copy, 0, len);
                seen.add(copy);
                return true;
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }
}
