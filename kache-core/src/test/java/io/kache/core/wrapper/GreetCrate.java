package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kache.core.Invocation;
import io.kache.testkit.SpyRustc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The wrapper tests' crate: a one-file library {@code greet}, the environment cargo gives its
 * call, and that call, compiled by the real rustc behind a {@link SpyRustc} (the test is skipped
 * where there is no rustc).
 */
final class GreetCrate {

    static final String EXTRA = "-0123456789abcdef";

    final SpyRustc spy;
    final Path project;
    final Path deps;
    /** The call's environment; a test may change it before the next call. */
    final Map<String, String> env = new HashMap<>();

    private GreetCrate(SpyRustc spy, Path project, Path deps) {
        this.spy = spy;
        this.project = project;
        this.deps = deps;
    }

    /** The crate under {@code temp}, its calls storing into {@code storeRoot}. */
    static GreetCrate in(Path temp, Path storeRoot) throws IOException, InterruptedException {
        SpyRustc spy = null;
        try {
            spy = SpyRustc.create(temp.resolve("spy"));
        } catch (IOException e) {
            assumeTrue(false, "no rustc here: " + e.getMessage());
        }
        Path project = Files.createDirectories(temp.resolve("greet"));
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/lib.rs"), "pub fn greet() -> &'static str { \"hello\" }\n");
        GreetCrate crate = new GreetCrate(spy, project, Files.createDirectories(project.resolve("target/debug/deps")));
        crate.env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        crate.env.put("HOME", temp.resolve("home").toString());
        crate.env.put("XDG_CONFIG_HOME", temp.resolve("xdg").toString());
        crate.env.put("KACHE_CACHE_DIR", storeRoot.toString());
        crate.env.put("CARGO_PKG_NAME", "greet");
        crate.env.put("CARGO_MANIFEST_DIR", project.toString());
        return crate;
    }

    /** The call cargo makes for the library. */
    List<String> compile() {
        return new ArrayList<>(List.of(spy.path().toString(), "--crate-name", "greet",
                "--edition=2021", "src/lib.rs", "--error-format=json",
                "--json=diagnostic-rendered-ansi,artifacts,future-incompat", "--crate-type", "lib",
                "--emit=dep-info,metadata,link", "-C", "embed-bitcode=no", "-C", "debuginfo=2",
                "-C", "metadata=0123456789abcdef", "-C", "extra-filename=" + EXTRA,
                "--out-dir", deps.toString(), "-L", "dependency=" + deps));
    }

    /** {@code args} as a call in the crate's directory, both its streams going to {@code out}. */
    Invocation invocation(List<String> args, ByteArrayOutputStream out, OptionalLong descriptorOwner) {
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new Invocation(args, env, project, InputStream.nullInputStream(), stream, stream, descriptorOwner);
    }

    /** What {@code cargo clean} does to the call's outputs. */
    void clean() throws IOException {
        try (Stream<Path> files = Files.list(deps)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }
}
