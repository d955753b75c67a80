package catalogstack.plugin;

import java.io.Reader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.elasticsearch.common.regex.Regex;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;

/** Char filters of the analysis-common module that this stack supports: html_strip, mapping, pattern_replace. */
final class CharFilters {
    private CharFilters() {}

    private static CharFilterFactory normalizing(String name, Function<Reader, Reader> f) {
        return new NormalizingCharFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Reader create(Reader r) {
                return f.apply(r);
            }
        };
    }

    static Map<String, AnalysisProvider<CharFilterFactory>> all() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new HashMap<>();
        m.put("html_strip", (is, env, name, s) -> {
            Set<String> escaped = new HashSet<>(s.getAsList("escaped_tags"));
            return new CharFilterFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Reader create(Reader r) {
                    return escaped.isEmpty() ? new HTMLStripCharFilter(r) : new HTMLStripCharFilter(r, escaped);
                }
            };
        });
        m.put("mapping", (is, env, name, s) -> {
            List<String> rules = Analysis.getWordList(env, s, "mappings");
            if (rules == null) {
                throw new IllegalArgumentException("mapping requires either `mappings` or `mappings_path` to be configured");
            }
            NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
            for (String rule : rules) {
                int i = rule.indexOf("=>");
                if (i < 0) {
                    throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
                }
                String from = unescape(rule.substring(0, i).trim());
                String to = unescape(rule.substring(i + 2).trim());
                if (from.isEmpty()) {
                    throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
                }
                b.add(from, to);
            }
            NormalizeCharMap map = b.build();
            return normalizing(name, r -> new MappingCharFilter(map, r));
        });
        m.put("pattern_replace", (is, env, name, s) -> {
            String p = s.get("pattern");
            if (p == null) {
                throw new IllegalArgumentException("pattern is missing for [" + name + "] char filter of type 'pattern_replace'");
            }
            Pattern pattern = Regex.compile(p, s.get("flags"));
            String replacement = s.get("replacement", "");
            return normalizing(name, r -> new PatternReplaceCharFilter(pattern, replacement, r));
        });
        // these have no usable defaults: ES must not instantiate them with empty settings for every index
        for (String n : new String[] {"mapping", "pattern_replace"}) {
            m.put(n, AnalysisPlugin.requiresAnalysisSettings(m.get(n)));
        }
        return m;
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= s.length()) {
                        throw new IllegalArgumentException("Invalid escaped char in [" + s + "]");
                    }
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(n);
            }
        }
        return out.toString();
    }
}
