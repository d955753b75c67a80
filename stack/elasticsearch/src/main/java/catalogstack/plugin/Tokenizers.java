package catalogstack.plugin;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.path.ReversePathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;

/** Tokenizers of the analysis-common module that this stack supports. */
final class Tokenizers {
    private Tokenizers() {}

    static Map<String, AnalysisProvider<TokenizerFactory>> all() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new HashMap<>();
        m.put("whitespace", (is, env, name, s) -> {
            int max = s.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> new WhitespaceTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, max));
        });
        m.put("keyword", (is, env, name, s) -> {
            int buf = s.getAsInt("buffer_size", 256);
            return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(buf));
        });
        m.put("letter", (is, env, name, s) -> TokenizerFactory.newFactory(name, LetterTokenizer::new));
        m.put("classic", (is, env, name, s) -> {
            int max = s.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> {
                ClassicTokenizer t = new ClassicTokenizer();
                t.setMaxTokenLength(max);
                return t;
            });
        });
        m.put("uax_url_email", (is, env, name, s) -> {
            int max = s.getAsInt("max_token_length", 255);
            return TokenizerFactory.newFactory(name, () -> {
                UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
                t.setMaxTokenLength(max);
                return t;
            });
        });
        m.put("pattern", (is, env, name, s) -> {
            Pattern p = Regex.compile(s.get("pattern", "\\W+"), s.get("flags"));
            int group = s.getAsInt("group", -1);
            return TokenizerFactory.newFactory(name, () -> new PatternTokenizer(p, group));
        });
        m.put("char_group", (is, env, name, s) -> {
            IntPredicate split = charGroup(s.getAsList("tokenize_on_chars"));
            int max = s.getAsInt("max_token_length", CharTokenizer.DEFAULT_MAX_WORD_LEN);
            return TokenizerFactory.newFactory(name, () -> new CharTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, max) {
                @Override
                protected boolean isTokenChar(int c) {
                    return split.test(c) == false;
                }
            });
        });
        m.put("ngram", (is, env, name, s) -> ngram(name, s, false));
        m.put("edge_ngram", (is, env, name, s) -> ngram(name, s, true));
        m.put("path_hierarchy", (is, env, name, s) -> {
            char delimiter = oneChar(s.get("delimiter", "/"), "delimiter");
            char replacement = oneChar(s.get("replacement", String.valueOf(delimiter)), "replacement");
            int skip = s.getAsInt("skip", 0);
            boolean reverse = s.getAsBoolean("reverse", false);
            return TokenizerFactory.newFactory(name, () -> reverse
                ? new ReversePathHierarchyTokenizer(delimiter, replacement, skip)
                : new PathHierarchyTokenizer(delimiter, replacement, skip));
        });
        return m;
    }

    private static TokenizerFactory ngram(String name, Settings s, boolean edge) {
        int min = s.getAsInt("min_gram", 1);
        int max = s.getAsInt("max_gram", 2);
        List<String> chars = s.getAsList("token_chars");
        IntPredicate tokenChar = chars.isEmpty() ? null : tokenChars(chars, s.get("custom_token_chars", ""));
        return TokenizerFactory.newFactory(name, () -> {
            if (tokenChar == null) {
                return edge ? new EdgeNGramTokenizer(min, max) : new NGramTokenizer(min, max);
            }
            if (edge) {
                return new EdgeNGramTokenizer(min, max) {
                    @Override
                    protected boolean isTokenChar(int c) {
                        return tokenChar.test(c);
                    }
                };
            }
            return new NGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int c) {
                    return tokenChar.test(c);
                }
            };
        });
    }

    private static IntPredicate tokenChars(List<String> classes, String custom) {
        IntPredicate p = c -> false;
        for (String cls : classes) {
            IntPredicate q = switch (cls.toLowerCase(Locale.ROOT)) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> Tokenizers::isPunctuation;
                case "symbol" -> Tokenizers::isSymbol;
                case "custom" -> c -> custom.indexOf(c) >= 0;
                default -> throw new IllegalArgumentException("Unknown token type: '" + cls + "'");
            };
            p = p.or(q);
        }
        return p;
    }

    private static IntPredicate charGroup(List<String> items) {
        IntPredicate p = c -> false;
        for (String item : items) {
            IntPredicate q;
            switch (item) {
                case "letter" -> q = Character::isLetter;
                case "digit" -> q = Character::isDigit;
                case "whitespace" -> q = Character::isWhitespace;
                case "punctuation" -> q = Tokenizers::isPunctuation;
                case "symbol" -> q = Tokenizers::isSymbol;
                default -> {
                    int ch = unescapeOne(item);
                    q = c -> c == ch;
                }
            }
            p = p.or(q);
        }
        return p;
    }

    private static int unescapeOne(String item) {
        if (item.length() == 1) {
            return item.charAt(0);
        }
        if (item.startsWith("\\")) {
            switch (item) {
                case "\\n": return '\n';
                case "\\r": return '\r';
                case "\\t": return '\t';
                case "\\f": return '\f';
                case "\\\\": return '\\';
                default:
                    if (item.startsWith("\\u") && item.length() == 6) {
                        return Integer.parseInt(item.substring(2), 16);
                    }
            }
        }
        throw new IllegalArgumentException("Invalid escaped char in [" + item + "]");
    }

    private static char oneChar(String v, String key) {
        if (v == null || v.length() != 1) {
            throw new IllegalArgumentException(key + " must be a one char value");
        }
        return v.charAt(0);
    }

    private static boolean isPunctuation(int c) {
        switch (Character.getType(c)) {
            case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION:
                return true;
            default:
                return false;
        }
    }

    private static boolean isSymbol(int c) {
        switch (Character.getType(c)) {
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
                return true;
            default:
                return false;
        }
    }
}
