package io.kache.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code key_env_vars}: environment variables whose values join the call key, for variables a
 * crate reads where rustc cannot see it (a proc-macro's {@code std::env::var}, a build script's
 * output read at expansion time). Each rule is {@code VAR} (every call) or {@code CRATE:VAR} (calls
 * compiling that crate, by its rustc crate name, {@code -} read as {@code _}); {@code VAR} may be a
 * glob such as {@code SQLX_*}. A plain name is keyed set or unset; a glob keys the variables that
 * are set and match.
 *
 * @param rules in the order written
 */
public record KeyEnvVars(List<Rule> rules) {

    /** No variable beyond those rustc reports. */
    public static final KeyEnvVars NONE = new KeyEnvVars(List.of());

    /** One item of the list: a crate (or any crate) and a variable name or glob. */
    public record Rule(Optional<String> crate, NamePattern variable) {
        @Override
        public String toString() {
            return crate.map(c -> c + ":").orElse("") + variable;
        }
    }

    public KeyEnvVars {
        rules = List.copyOf(rules);
    }

    /**
     * Parses a list separated by commas or whitespace.
     *
     * @throws IllegalArgumentException naming the item that is not {@code VAR} or {@code CRATE:VAR}
     */
    public static KeyEnvVars parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String item : NameList.items(text)) {
            int colon = item.indexOf(':');
            Optional<String> crate = Optional.empty();
            String variable = item;
            if (colon >= 0) {
                String name = item.substring(0, colon);
                if (name.isEmpty() || name.indexOf('*') >= 0 || !NamePattern.ALLOWED.matcher(name).matches()) {
                    throw new IllegalArgumentException("'" + item + "' does not start with a crate name");
                }
                crate = Optional.of(NameList.crateName(name));
                variable = item.substring(colon + 1);
            }
            rules.add(new Rule(crate, new NamePattern(variable)));
        }
        return new KeyEnvVars(rules);
    }

    /**
     * The variables to key for a call compiling {@code crateName}, by name: the value, or empty
     * for a named variable that is unset.
     */
    public Map<String, Optional<String>> select(String crateName, Map<String, String> env) {
        Map<String, Optional<String>> out = new TreeMap<>();
        for (Rule r : rules) {
            if (r.crate().isPresent() && !r.crate().get().equals(crateName)) {
                continue;
            }
            if (!r.variable().isGlob()) {
                out.put(r.variable().text(), Optional.ofNullable(env.get(r.variable().text())));
                continue;
            }
            for (Map.Entry<String, String> e : env.entrySet()) {
                if (r.variable().matches(e.getKey())) {
                    out.put(e.getKey(), Optional.of(e.getValue()));
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.join(", ", rules.stream().map(Rule::toString).toList());
    }
}
