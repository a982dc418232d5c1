package io.kache.core.key;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything a compile read besides its arguments: each source file (sentinel-normalized path and
 * content hash), each environment variable rustc reported (normalized value, or unset), and each
 * path that must not exist because its existence would change module resolution (see
 * {@link ModuleAlternatives}). Sorted, so the same inputs always encode and hash the same way.
 *
 * <p>{@code roots} are the local directories whose literal path the outputs contain (an
 * {@code env!("CARGO_MANIFEST_DIR")}, an {@code OUT_DIR}, a build script's generated path): such
 * an entry is only right for a call whose directory of that name is the same.
 *
 * @param absent sentinel-normalized paths that must not exist for this input set to hold
 * @param roots local directories the outputs embed, with their values when compiled
 */
public record InputSet(List<InputFile> files, List<EnvValue> env, List<String> absent, List<BoundRoot> roots) {

    public InputSet {
        files = sortedUnique(files, FILE_ORDER);
        env = sortedUnique(env, ENV_ORDER);
        absent = sortedUnique(absent, ABSENT_ORDER);
        roots = sortedUnique(roots, ROOT_ORDER);
    }

    /** Files and variables, with no path required to be absent and no directory embedded. */
    public InputSet(List<InputFile> files, List<EnvValue> env) {
        this(files, env, List.of(), List.of());
    }

    /** These inputs, with the outputs bound to {@code bound} as well. */
    public InputSet withRoots(List<BoundRoot> bound) {
        List<BoundRoot> all = new ArrayList<>(roots);
        all.addAll(bound);
        return new InputSet(files, env, absent, all);
    }

    // Explicit orders and de-duplication: record equals/hashCode bootstrap method handles, which a
    // wrapper call living a tenth of a second should not pay for.
    private static final Comparator<InputFile> FILE_ORDER = new Comparator<>() {
        @Override
        public int compare(InputFile a, InputFile b) {
            int c = a.path().compareTo(b.path());
            return c != 0 ? c : a.sha256().compareTo(b.sha256());
        }
    };
    private static final Comparator<EnvValue> ENV_ORDER = new Comparator<>() {
        @Override
        public int compare(EnvValue a, EnvValue b) {
            int c = a.name().compareTo(b.name());
            return c != 0 ? c : a.value().orElse("\u0000unset").compareTo(b.value().orElse("\u0000unset"));
        }
    };

    private static final Comparator<BoundRoot> ROOT_ORDER = new Comparator<>() {
        @Override
        public int compare(BoundRoot a, BoundRoot b) {
            int c = a.name().compareTo(b.name());
            return c != 0 ? c : a.path().compareTo(b.path());
        }
    };

    private static final Comparator<String> ABSENT_ORDER = new Comparator<>() {
        @Override
        public int compare(String a, String b) {
            return a.compareTo(b);
        }
    };

    private static <T> List<T> sortedUnique(List<T> items, Comparator<T> order) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(order);
        List<T> unique = new ArrayList<>(sorted.size());
        for (T item : sorted) {
            if (unique.isEmpty() || order.compare(unique.get(unique.size() - 1), item) != 0) {
                unique.add(item);
            }
        }
        return List.copyOf(unique);
    }

    /** @param path sentinel-normalized path; @param sha256 content hash */
    public record InputFile(String path, String sha256) {
    }

    /** @param value the sentinel-normalized value, empty when the variable was unset */
    public record EnvValue(String name, Optional<String> value) {
    }

    /**
     * A local directory the outputs contain literally.
     *
     * @param name the sentinel's name ({@code ws}, {@code target}, …; see {@link io.kache.core.rustc.SentinelRoots})
     * @param path its local value when the entry was compiled
     */
    public record BoundRoot(String name, String path) {
    }

    void hashInto(KeyHasher h) {
        for (InputFile f : files) {
            h.field("input", f.path()).field("sha256", f.sha256());
        }
        for (EnvValue e : env) {
            h.field("env-dep", e.name()).field("value", e.value().map(v -> "=" + v).orElse("unset"));
        }
        for (String path : absent) {
            h.field("absent", path);
        }
        for (BoundRoot r : roots) {
            h.field("bound-root", r.name()).field("path", r.path());
        }
    }

    /** One line per input; names and values base64-encoded so any byte survives. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        for (InputFile f : files) {
            sb.append("f ").append(f.sha256()).append(' ').append(b64(f.path())).append('\n');
        }
        for (EnvValue e : env) {
            sb.append("e ").append(b64(e.name()));
            e.value().ifPresent(v -> sb.append(' ').append(b64(v)));
            sb.append('\n');
        }
        for (String path : absent) {
            sb.append("a ").append(b64(path)).append('\n');
        }
        for (BoundRoot r : roots) {
            sb.append("r ").append(b64(r.name())).append(' ').append(b64(r.path())).append('\n');
        }
        return sb.toString();
    }

    /** @throws IllegalArgumentException on any malformed line */
    public static InputSet decode(String text) {
        List<InputFile> files = new ArrayList<>();
        List<EnvValue> env = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        List<BoundRoot> roots = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            // -1 keeps a trailing empty field: an empty value encodes to "", and must not read as unset.
            String[] p = line.split(" ", -1);
            if (p[0].equals("f") && p.length == 3) {
                files.add(new InputFile(unb64(p[2]), p[1]));
            } else if (p[0].equals("e") && (p.length == 2 || p.length == 3)) {
                env.add(new EnvValue(unb64(p[1]), p.length == 3 ? Optional.of(unb64(p[2])) : Optional.empty()));
            } else if (p[0].equals("a") && p.length == 2) {
                absent.add(unb64(p[1]));
            } else if (p[0].equals("r") && p.length == 3) {
                roots.add(new BoundRoot(unb64(p[1]), unb64(p[2])));
            } else {
                throw new IllegalArgumentException("malformed input line: " + line);
            }
        }
        return new InputSet(files, env, absent, roots);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
