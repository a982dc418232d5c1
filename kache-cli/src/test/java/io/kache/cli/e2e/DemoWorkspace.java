package io.kache.cli.e2e;

import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example workspace shipped in {@code examples/demo}, copied to a test directory, with the
 * environment that puts kache (and a spy rustc) in front of cargo.
 */
public final class DemoWorkspace {

    public static final Path SOURCE = repoRoot().resolve("examples/demo");

    final Path dir;
    final Map<String, String> env;

    private DemoWorkspace(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    /**
     * One machine of a sharing test: the demo checked out at {@code home/path}, built through
     * {@code kache} into that machine's own store ({@code home/store}), with the config home the
     * machines of a test share ({@link #machinesConfigHome}).
     */
    static DemoWorkspace onMachine(Path home, String path, Path kache, SpyRustc spy) throws IOException {
        return copyTo(home.resolve(path), kache, spy, home.resolve("store"), machinesConfigHome(home.getParent()));
    }

    /**
     * The empty config home of a test's machines (only there so kache reads no config of the
     * developer's), one for all of them: the spy is a script, and kache keys a script compiler's
     * environment, so machines whose XDG_CONFIG_HOME differed would share nothing, as real machines
     * whose environments differ do not.
     */
    static Path machinesConfigHome(Path tmp) throws IOException {
        return Files.createDirectories(tmp.resolve("machines-xdg"));
    }

    /** A copy of the demo at {@code dir}, built through {@code kache} with {@code spy} as RUSTC and {@code store}. */
    static DemoWorkspace copyTo(Path dir, Path kache, SpyRustc spy, Path store, Path configHome) throws IOException {
        copyTree(SOURCE, dir);
        Map<String, String> env = new HashMap<>();
        env.put("RUSTC_WRAPPER", kache.toString());
        env.put("RUSTC", spy.path().toString());
        env.put("KACHE_CACHE_DIR", store.toString());
        env.put("XDG_CONFIG_HOME", configHome.toString());
        env.put("CARGO_TERM_COLOR", "never");
        env.put("CARGO_INCREMENTAL", "1");
        return new DemoWorkspace(dir, env);
    }

    CargoRun.Result cargo(String... args) throws IOException, InterruptedException {
        return cargo(Map.of(), args);
    }

    CargoRun.Result cargo(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extraEnv);
        return CargoRun.cargo(dir, all, args);
    }

    /** Runs the built binary of {@code profile} and returns what it printed. */
    String runApp(Path targetDir, String profile) throws IOException, InterruptedException {
        return CargoRun.run(dir, Map.of(), targetDir.resolve(profile).resolve("app").toString())
                .assertOk("the app").stdout();
    }

    /** Copies {@code from} to {@code to}, without its {@code target} directory. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.filter(p -> !from.relativize(p).startsWith("target")).forEach(p -> {
                try {
                    Path dest = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static Path repoRoot() {
        Path p = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/demo"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("examples/demo not found above " + System.getProperty("basedir"));
        }
        return p;
    }
}
