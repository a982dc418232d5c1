package io.kache.cli.startup;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import io.kache.core.Invocation;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.remote.Attempts;
import io.kache.core.remote.EntryTransfer;
import io.kache.core.remote.RemoteStores;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import io.kache.core.sync.records.BuildRecord;
import io.kache.core.sync.records.BuildIdentities;
import io.kache.core.sync.records.JournalRecords;
import io.kache.core.sync.records.RecordWriter;
import io.kache.core.wrapper.CallOutcome;
import io.kache.core.wrapper.OpenRemotes;
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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * A training run for the JVM's class-data archive (AppCDS, or the AOT cache of JDK 25): wraps a
 * tiny real rustc compile twice — a miss, then a hit — and a probe, so the archive holds every class
 * of the wrapper's paths; then the remote's paths against an S3 stand-in on loopback
 * ({@link TrainingS3}): the entry and its build record sent (sync, write-back), and a fresh
 * server's miss that reads the record and prefetches the entry (a fresh CI runner's first calls).
 * Run at package time with {@code -XX:ArchiveClassesAtExit}; a machine without rustc (or cargo, for
 * the record) gets an archive of what it could exercise.
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    /**
     * Trains; {@code commands} runs a kache command as the CLI does, for the commands' own paths
     * ({@code kache sync --pull}, which the server runs too).
     */
    public static void run(ToIntFunction<Invocation> commands) throws IOException, InterruptedException {
        // The training's prefetch says what it did at info level: not news in a build's log.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path dir = Files.createTempDirectory("kache-training");
        try {
            train(dir, commands);
        } finally {
            deleteTree(dir);
        }
    }

    private static void train(Path dir, ToIntFunction<Invocation> commands) throws IOException, InterruptedException {
        String rustc = sysrootRustc();
        if (rustc == null) {
            System.err.println("kache: no rustc found; the start-up archive covers less of the wrapper");
            return;
        }
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("lib.rs"), "pub fn answer() -> u32 { 42 }\n");
        // A package, so that the remote's training finds the build's workspace (cargo metadata).
        Files.writeString(dir.resolve("Cargo.toml"), "[package]\nname = \"training\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\n[lib]\npath = \"src/lib.rs\"\n");
        Path out = Files.createDirectories(dir.resolve("target/debug/deps"));
        Files.writeString(dir.resolve("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        Map<String, String> env = new HashMap<>(io.kache.core.CallerEnvironment.current());
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
        try {
            trainRemote(dir, env, compile, sink, commands);
        } catch (IOException | RuntimeException e) {
            System.err.println("kache: the start-up archive covers less of the remote: " + e);
        }
    }

    /**
     * The remote's paths: the S3 client opened and asked (PUT, HEAD, GET, a missing key), the
     * stored entry sent with its build record, then the compile again in a fresh store through the
     * server's remotes: its miss reads the record and prefetches the entry, which the call then
     * hits. Without these classes in the archive, a fresh server spent over a second loading the
     * S3 client before its first request.
     */
    private static void trainRemote(Path dir, Map<String, String> localEnv, List<String> compile, PrintStream sink,
                                    ToIntFunction<Invocation> commands) throws IOException {
        try (TrainingS3 s3 = new TrainingS3()) {
            Map<String, String> env = new HashMap<>(localEnv);
            env.remove("KACHE_LOCAL_ONLY");
            env.put("KACHE_S3_BUCKET", "training");
            env.put("KACHE_S3_ENDPOINT", s3.endpoint().toString());
            env.put("KACHE_S3_REGION", "us-east-1");
            env.put("KACHE_S3_ACCESS_KEY", "AKIDTRAINING");
            env.put("KACHE_S3_SECRET_KEY", "training-secret");
            KacheConfig config = ConfigLoader.load(env, dir);
            Attempts attempts = new Attempts(RetryPolicy.DEFAULT, Attempts.Observer.NONE);
            // What sync --push and the write-back do: the entry, then the build's record.
            try (ArtifactStore remote = RemoteStores.open(config, env).orElseThrow();
                 LocalStore local = LocalStore.open(config.localStore(), config.localMaxSize())) {
                for (EntryInfo e : local.list(Optional.empty())) {
                    new EntryTransfer(remote, local).send(e.key(), config.compressionLevel(), local.newTemp("training"),
                            attempts);
                    remote.contains(e.key());
                }
                remote.contains(new ArtifactKey("training", "0".repeat(64)));
                // A GET of a missing object: the error's XML body is parsed (java.xml), as a pull's first
                // record lookup often is (the exact slot is missing, the line's is there).
                remote.readRecord("0".repeat(32), BuildRecord.MAX_BYTES);
                Optional<ProjectCrates.Workspace> ws = BuildIdentities.workspaceOf(dir.resolve("target"), env);
                List<BuildRecord> records = ws.isPresent() ? JournalRecords.fromJournal(local, ws.get(), env) : List.of();
                for (BuildRecord record : records) {
                    RecordWriter.write(remote, record);
                }
            } catch (StoreException e) {
                System.err.println("kache: the start-up archive covers less of the remote: " + e);
                return;
            }
            // A fresh runner's first compile, served as the kache server serves it: its miss reads the
            // record and prefetches the entry. Read-only: a miss never starts an uploader process.
            env.put("KACHE_CACHE_DIR", dir.resolve("fresh-store").toString());
            env.put("KACHE_REMOTE_READONLY", "1");
            try (OpenRemotes remotes = OpenRemotes.forServer()) {
                CallOutcome outcome = RustcWrapper.prepare(new Invocation(compile, env, dir,
                        new ByteArrayInputStream(new byte[0]), sink, sink,
                        OptionalLong.of(ProcessHandle.current().pid())), remotes);
                if (outcome instanceof CallOutcome.Cacheable cacheable) {
                    cacheable.run();
                }
            }
            // kache sync --pull into another fresh store, as a CI step runs it (in the server, through
            // bin/kache): the command line, the build's identity, its record and the transfers. Without
            // them in the archive, a pull in a fresh server loaded some 700 classes from jars first.
            env.put("KACHE_CACHE_DIR", dir.resolve("pulled-store").toString());
            commands.applyAsInt(new Invocation(List.of("sync", "--pull"), env, dir, new ByteArrayInputStream(new byte[0]),
                    sink, sink));
        }
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
