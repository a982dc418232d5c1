package io.kache.core.rustc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the machine-local directories of one call: the workspace (rustc's working directory, as
 * cargo runs it from the workspace root), the target dir (the nearest ancestor of the out-dir that
 * holds cargo's {@code CACHEDIR.TAG}), {@code CARGO_HOME}, {@code RUSTUP_HOME}, {@code HOME}, the
 * temp dir and {@code KACHE_BASE_DIR}.
 */
public final class SentinelRoots {

    /** The sentinel of cargo's target directory. */
    public static final String TARGET = "target";
    /** The sentinel of {@code CARGO_HOME}: the registry's and git dependencies' sources. */
    public static final String CARGO_HOME = "cargo";
    /** The sentinel of {@code RUSTUP_HOME}: the toolchains. */
    public static final String RUSTUP_HOME = "rustup";

    private SentinelRoots() {
    }

    public static PathSentinels forCall(RustcCall call, Map<String, String> env, Path cwd) {
        Map<String, Path> roots = new LinkedHashMap<>();
        targetDir(call.outDir()).ifPresent(t -> roots.put(TARGET, t));
        roots.put("ws", cwd);
        dir(env, "KACHE_BASE_DIR").ifPresent(d -> roots.put("base", d));
        Optional<Path> home = dir(env, "HOME");
        dir(env, "CARGO_HOME").or(() -> home.map(h -> h.resolve(".cargo"))).ifPresent(d -> roots.put(CARGO_HOME, d));
        dir(env, "RUSTUP_HOME").or(() -> home.map(h -> h.resolve(".rustup"))).ifPresent(d -> roots.put(RUSTUP_HOME, d));
        home.ifPresent(h -> roots.put("home", h));
        roots.put("tmp", dir(env, "TMPDIR").orElse(Path.of("/tmp")));
        return PathSentinels.of(roots);
    }

    /** The target dir of a call writing to {@code outDir}: its nearest ancestor holding cargo's {@code CACHEDIR.TAG}. */
    public static Optional<Path> targetDir(Path outDir) {
        for (Path p = outDir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("CACHEDIR.TAG"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> dir(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isEmpty() || !v.startsWith("/")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(v).normalize());
    }
}
