package io.kache.cli.startup;

import io.kache.core.Invocation;
import io.kache.core.wrapper.RustcWrapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A training run for the JVM's class-data archive (AppCDS, or the AOT cache of JDK 25): wraps a
 * tiny real rustc compile twice — a miss, then a hit — and a probe, so the archive holds every class
 * of the wrapper's paths. Run at package time with {@code -XX:ArchiveClassesAtExit}; a machine
 * without rustc gets an archive of what it could exercise.
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kache-training");
        try {
            train(dir);
        } finally {
            deleteTree(dir);
        }
    }

    private static void train(Path dir) throws IOException, InterruptedException {
        String rustc = sysrootRustc();
        if (rustc == null) {
            System.err.println("kache: no rustc found; the start-up archive covers less of the wrapper");
            return;
        }
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("lib.rs"), "pub fn answer() -> u32 { 42 }\n");
        Path out = Files.createDirectories(dir.resolve("target/debug/deps"));
        Files.writeString(dir.resolve("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KACHE_CACHE_DIR", dir.resolve("store").toString());
        env.put("KACHE_LOCAL_ONLY", "1");
        env.remove("KACHE_CONFIG");
        List<String> compile = List.of(rustc, "--crate-name", "training", "--edition=2021", "src/lib.rs",
                "--error-format=json", "--json=diagnostic-rendered-ansi,artifacts,future-incompat",
                "--crate-type", "lib", "--emit=dep-info,metadata,link", "-C", "embed-bitcode=no",
                "-C", "debuginfo=2", "-C", "metadata=0123456789abcdef", "-C", "extra-filename=-0123456789abcdef",
                "--out-dir", out.toString(), "-L", "dependency=" + out);
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        for (int i = 0; i < 2; i++) {
            RustcWrapper.run(new Invocation(compile, env, dir, new ByteArrayInputStream(new byte[0]), sink, sink));
        }
        RustcWrapper.run(new Invocation(List.of(rustc, "-vV"), env, dir, new ByteArrayInputStream(new byte[0]),
                sink, sink));
    }

    private static String sysrootRustc() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("rustc", "--print", "sysroot").redirectErrorStream(true).start();
            String sysroot = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            Path rustc = Path.of(sysroot, "bin", "rustc");
            return Files.isExecutable(rustc) ? rustc.toString() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }
}
