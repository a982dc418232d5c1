package io.kache.cli.e2e;

import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A cargo workspace a test writes file by file (path dependencies only), built through kache. */
final class SmallWorkspace {

    final Path dir;
    final Map<String, String> env = new HashMap<>();

    private SmallWorkspace(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code files} (relative path to content) under {@code dir}. */
    static SmallWorkspace write(Path dir, Map<String, String> files, Path kache, SpyRustc spy, Path store, Path configHome)
            throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        SmallWorkspace ws = new SmallWorkspace(dir);
        ws.env.put("RUSTC_WRAPPER", kache.toString());
        ws.env.put("RUSTC", spy.path().toString());
        ws.env.put("KACHE_CACHE_DIR", store.toString());
        ws.env.put("XDG_CONFIG_HOME", configHome.toString());
        ws.env.put("CARGO_TERM_COLOR", "never");
        return ws;
    }

    /** A package's {@code Cargo.toml}. */
    static String manifest(String name, String extra) {
        return "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n" + extra;
    }

    CargoRun.Result cargo(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extraEnv);
        return CargoRun.cargo(dir, all, args);
    }

    /** Runs a built binary and returns what it printed. */
    String run(Path binary) throws IOException, InterruptedException {
        return CargoRun.run(dir, Map.of(), binary.toString()).assertOk(binary.toString()).stdout();
    }
}
