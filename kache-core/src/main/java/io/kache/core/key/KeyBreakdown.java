package io.kache.core.key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key taken apart: each part that went into a call or entry key, by name, with a short digest of
 * what it held. Enough to say which part differs between a miss and a stored entry
 * ({@code kache why-miss}), never what it held: no file content, no variable's value.
 *
 * <p>Part names: {@code recipe}, {@code toolchain}, {@code salt}, {@code crate-name},
 * {@code crate-types}, {@code emit}, {@code target}, {@code source} (the root file's path),
 * {@code out-dir}, {@code flag:NAME} (one per flag name: {@code flag:-C opt-level},
 * {@code flag:--edition}, {@code flag:-L}), {@code cfg:CFG} (one per {@code --cfg}),
 * {@code check-cfg}, {@code extern:NAME} (by the artifact's content), {@code native:FILE} and
 * {@code native-dir:DIR} (native link inputs), {@code env:NAME} (a keyed variable, a
 * {@code key_env_vars} entry or a variable the crate read), {@code linker}, {@code driver},
 * {@code file:PATH} (a source file the crate read, sentinel-normalized), {@code absent:PATH},
 * {@code root:NAME} (a local directory the outputs embed).
 *
 * @param parts digest by part name, in the order the key hashed them
 */
public record KeyBreakdown(Map<String, String> parts) {

    public KeyBreakdown {
        parts = Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    /** This breakdown followed by {@code more}'s parts (a call key's, then its entry's inputs). */
    public KeyBreakdown plus(KeyBreakdown more) {
        Map<String, String> all = new LinkedHashMap<>(parts);
        all.putAll(more.parts);
        return new KeyBreakdown(all);
    }

    /** How one part differs from {@code before} to this breakdown. */
    public enum Change { ADDED, REMOVED, CHANGED }

    /** One differing part. */
    public record Difference(String part, Change change) {
    }

    /** The parts that differ from {@code before}, in this breakdown's order, then the removed ones. */
    public List<Difference> differencesFrom(KeyBreakdown before) {
        List<Difference> out = new ArrayList<>();
        parts.forEach((name, digest) -> {
            String old = before.parts.get(name);
            if (old == null) {
                out.add(new Difference(name, Change.ADDED));
            } else if (!old.equals(digest)) {
                out.add(new Difference(name, Change.CHANGED));
            }
        });
        before.parts.keySet().stream().filter(n -> !parts.containsKey(n))
                .forEach(n -> out.add(new Difference(n, Change.REMOVED)));
        return out;
    }

    /** One line per part: the digest, then the name base64-encoded (a path may hold any character). */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        parts.forEach((name, digest) -> sb.append(digest).append(' ')
                .append(Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8))).append('\n'));
        return sb.toString();
    }

    /** @throws IllegalArgumentException on a malformed line */
    public static KeyBreakdown decode(List<String> lines) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                throw new IllegalArgumentException("malformed key part: " + line);
            }
            parts.put(new String(Base64.getDecoder().decode(line.substring(sp + 1)), StandardCharsets.UTF_8),
                    line.substring(0, sp));
        }
        return new KeyBreakdown(parts);
    }
}
