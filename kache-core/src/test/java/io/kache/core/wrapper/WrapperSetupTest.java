package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.core.Invocation;
import io.kache.core.remote.RemoteStores;
import io.kache.core.store.LocalStore;
import io.kache.testkit.InMemoryArtifactStore;
import io.kache.testkit.SpyRustc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one setup of every wrapped call ({@link RustcWrapper#prepare}), which the JVM wrapper and the
 * kache server both act on: a broken configuration, a disabled kache or a store that cannot open
 * declines the call (the JVM then runs rustc unchanged), a call kache does not model passes through
 * counted, a cacheable call is compiled and then served; and whoever opened a remote closes it.
 * Against the real compiler behind {@link SpyRustc}.
 */
class WrapperSetupTest {

    private static final String EXTRA = GreetCrate.EXTRA;

    @TempDir
    Path temp;
    GreetCrate greet;
    SpyRustc spy;
    Path project;
    Path deps;
    Path storeRoot;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        storeRoot = temp.resolve("store");
        greet = GreetCrate.in(temp, storeRoot);
        spy = greet.spy;
        project = greet.project;
        deps = greet.deps;
        env = greet.env;
    }

    @Test
    void aBrokenConfigurationDeclinesTheCallAndTheJvmRunsRustcUnchangedSayingNothingOnItsStderr() throws Exception {
        env.put("KACHE_CONFIG", temp.resolve("missing.toml").toString());
        try (OpenRemotes remotes = new OpenRemotes()) {
            CallOutcome.Decline decline = assertInstanceOf(CallOutcome.Decline.class,
                    RustcWrapper.prepare(invocation(compile(), new ByteArrayOutputStream()), remotes));
            assertEquals("configuration error", decline.reason());
            assertTrue(decline.notice().orElseThrow().contains("KACHE_CONFIG")
                    && decline.notice().orElseThrow().endsWith("; running rustc without the cache"), decline.toString());
        }
        assertEquals(List.of(), spy.takeCompiled(), "declining runs nothing");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, RustcWrapper.run(invocation(compile(), err)));
        // Said through UserNotices (cargo's own stderr, once per build), never on rustc's stderr,
        // which cargo keeps and replays (issue 17): the call's stream holds nothing of kache's.
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("kache"), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("greet"), spy.takeCompiled(), "the JVM wrapper ran rustc itself");
        assertTrue(Files.isRegularFile(deps.resolve("libgreet" + EXTRA + ".rlib")));
        assertFalse(Files.exists(storeRoot), "no store was opened");
    }

    @Test
    void anEndpointWithAQueryIsAConfigurationErrorTheCallPassesThroughWithoutShowingIt() throws Exception {
        env.put("KACHE_S3_BUCKET", "b");
        env.put("KACHE_S3_ENDPOINT", "http://127.0.0.1:9/p?token=TOKENVALUE");
        try (OpenRemotes remotes = new OpenRemotes()) {
            CallOutcome.Decline decline = assertInstanceOf(CallOutcome.Decline.class,
                    RustcWrapper.prepare(invocation(compile(), new ByteArrayOutputStream()), remotes));
            assertEquals("configuration error", decline.reason());
            String notice = decline.notice().orElseThrow();
            assertTrue(notice.contains("KACHE_S3_ENDPOINT") && notice.contains("cache.remote.endpoint"), notice);
            assertFalse(notice.contains("TOKENVALUE"), notice);
        }
        assertEquals(0, RustcWrapper.run(invocation(compile(), new ByteArrayOutputStream())));
        assertEquals(List.of("greet"), spy.takeCompiled(), "the build goes on without the cache");
    }

    @Test
    void aDisabledKacheAndAStoreThatCannotOpenDeclineWithoutCountingAnything() throws Exception {
        try (OpenRemotes remotes = new OpenRemotes()) {
            env.put("KACHE_DISABLED", "true");
            CallOutcome disabled = RustcWrapper.prepare(invocation(compile(), new ByteArrayOutputStream()), remotes);
            assertEquals(new CallOutcome.Decline("KACHE_DISABLED"), disabled);

            env.remove("KACHE_DISABLED");
            Files.writeString(storeRoot, "a file where the store should be");
            CallOutcome noStore = RustcWrapper.prepare(invocation(compile(), new ByteArrayOutputStream()), remotes);
            CallOutcome.Decline declined = assertInstanceOf(CallOutcome.Decline.class, noStore);
            assertEquals("store unavailable", declined.reason());
            assertEquals(UserNotices.Topic.STORE, declined.topic());
            assertTrue(declined.notice().orElseThrow().startsWith("cannot open the local store "), declined.toString());
            assertTrue(declined.notice().orElseThrow().contains(storeRoot + " is a file, not a directory"),
                    declined.toString());
        }
        assertEquals(List.of(), spy.takeCompiled());
        assertEquals(0, RustcWrapper.run(invocation(compile(), new ByteArrayOutputStream())));
        assertEquals(List.of("greet"), spy.takeCompiled(), "the JVM wrapper runs a declined call unchanged");
    }

    @Test
    void aCallKacheDoesNotModelPassesThroughCountedInTheStore() throws Exception {
        List<String> probe = List.of(spy.path().toString(), "-V");
        CallOutcome outcome;
        try (OpenRemotes remotes = new OpenRemotes()) {
            outcome = RustcWrapper.prepare(invocation(probe, new ByteArrayOutputStream()), remotes);
        }
        CallOutcome.PassThrough passThrough = assertInstanceOf(CallOutcome.PassThrough.class, outcome);
        assertEquals(Map.of(passThrough.reason(), 1L), passthroughReasons(), "counted by the setup, once");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, RustcWrapper.run(invocation(probe, out)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("rustc "), "rustc answered the call itself: " + out);
        assertEquals(Map.of(passThrough.reason(), 2L), passthroughReasons());
    }

    /**
     * cargo's {@code rustc -vV} probe is answered from the banner memo: byte for byte what the binary
     * printed, asked of it once, asked again when the binary changes, and passed through when the
     * environment could rewrite rustc's version string.
     */
    @Test
    void theVersionProbeIsAnsweredFromTheBannerMemoExactlyAsTheCompilerAnswersIt() throws Exception {
        Path calls = temp.resolve("probe-calls.log");
        Path compiler = toolchainBinary("rustc");
        String banner = BANNER;
        writeScript(compiler, calls, banner);
        List<String> probe = List.of(compiler.toString(), "-vV");

        for (int call = 1; call <= 3; call++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, RustcWrapper.run(invocation(probe, out)));
            assertEquals(banner, out.toString(StandardCharsets.UTF_8), "call " + call);
        }
        assertEquals(List.of("-vV", "--version"), Files.readAllLines(calls),
                "asked once what it is (as for any compiler), then answered from the memo");
        try (OpenRemotes remotes = new OpenRemotes()) {
            CallOutcome.Answered answered = assertInstanceOf(CallOutcome.Answered.class,
                    RustcWrapper.prepare(invocation(probe, new ByteArrayOutputStream()), remotes));
            assertEquals(banner, answered.stdout());
        }
        assertEquals(Map.of("-vV is not a compile", 4L), passthroughReasons(), "counted as the pass-through it replaces");

        // An update puts another binary at the same path: it is asked again.
        String updated = banner.replace("1.95.0", "1.96.0");
        writeScript(compiler, calls, updated);
        Files.setLastModifiedTime(compiler, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(compiler).toMillis() + 5_000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, RustcWrapper.run(invocation(probe, out)));
        assertEquals(updated, out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("-vV", "--version", "-vV", "--version"), Files.readAllLines(calls),
                "the changed binary was asked again");

        env.put("RUSTC_OVERRIDE_VERSION_STRING", "9.9.9");
        out = new ByteArrayOutputStream();
        assertEquals(0, RustcWrapper.run(invocation(probe, out)));
        assertEquals(updated, out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("-vV", "--version", "-vV", "--version", "-vV"), Files.readAllLines(calls),
                "a version override in the environment: the compiler runs");
    }

    /**
     * cargo clippy's probe, {@code clippy-driver RUSTC -vV}, is answered too when the driver's banner
     * and rustc's are the same text (clippy-driver drops the rustc argument and answers itself), and
     * passes through when they differ.
     */
    @Test
    void clippysVersionProbeIsAnsweredOnlyWhenDriverAndRustcTellTheSameBanner() throws Exception {
        Path rustc = toolchainBinary("rustc");
        Path driver = toolchainBinary("clippy-driver");
        String banner = BANNER;
        writeScript(rustc, temp.resolve("chain-calls.log"), banner);
        writeScript(driver, temp.resolve("driver-calls.log"), banner, "clippy 0.1.95 (0123abcd 2026-11-01)");
        List<String> probe = List.of(driver.toString(), rustc.toString(), "-vV");

        for (int call = 1; call <= 2; call++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, RustcWrapper.run(invocation(probe, out)));
            assertEquals(banner, out.toString(StandardCharsets.UTF_8), "call " + call);
        }
        assertEquals(List.of("-vV", "--version"), Files.readAllLines(temp.resolve("driver-calls.log")),
                "the driver was asked what it is, never run for the probe");

        String other = banner.replace("1.95.0", "1.94.0");
        writeScript(driver, temp.resolve("driver-calls.log"), other, "clippy 0.1.94 (0123abcd 2026-11-01)");
        Files.setLastModifiedTime(driver, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(driver).toMillis() + 5_000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, RustcWrapper.run(invocation(probe, out)));
        assertEquals(other, out.toString(StandardCharsets.UTF_8), "the driver answered itself");
        assertEquals(List.of("-vV", "--version", "-vV", "--version", rustc + " -vV"),
                Files.readAllLines(temp.resolve("driver-calls.log")), "banners differ: the probe runs the driver");
    }

    /**
     * cargo's target-info probe is handed back the first time while the server (background work on)
     * runs it itself, through the binary found on the call's PATH (a bare {@code rustc}), never one
     * the server's own PATH would find; the next probe is answered with exactly what that run printed.
     */
    @Test
    void theTargetInfoProbeIsAnsweredFromTheServersRunOfTheBinaryOnTheCallsPath() throws Exception {
        BackgroundStores.enable();
        Path compiler = toolchainBinary("rustc");
        String answer = "___\nlib___.rlib\n" + temp.resolve("toolchain") + "\ndebug_assertions\n";
        writeProbeScript(compiler, temp.resolve("probe-calls.log"), answer, false);
        env.put("PATH", compiler.getParent().toString());
        List<String> probe = new ArrayList<>(List.of("rustc"));
        probe.addAll(TargetInfoAnswerTest.PROBE);
        try (OpenRemotes remotes = new OpenRemotes()) {
            Invocation first = invocation(probe, new ByteArrayOutputStream());
            assertInstanceOf(CallOutcome.PassThrough.class, RustcWrapper.prepare(first, remotes));
            try (LocalStore store = LocalStore.open(storeRoot, 1L << 30)) {
                assertEquals(compiler.toString(), TargetInfoAnswer.of(first, store.toolchainMemo()).orElseThrow()
                        .command().get(0), "the call's rustc, by its path");
            }
            assertTrue(BackgroundStores.awaitIdle(30_000));
            CallOutcome.Answered answered = assertInstanceOf(CallOutcome.Answered.class,
                    RustcWrapper.prepare(invocation(probe, new ByteArrayOutputStream()), remotes));
            assertEquals(answer, answered.stdout());
        }
        assertEquals(1, Files.readAllLines(temp.resolve("probe-calls.log")).stream().filter(l -> l.contains("___")).count(),
                "run once, by the server");

        List<String> withTarget = new ArrayList<>(probe);
        withTarget.addAll(List.of("--target", "wasm32-unknown-unknown"));
        try (OpenRemotes remotes = new OpenRemotes()) {
            assertInstanceOf(CallOutcome.PassThrough.class,
                    RustcWrapper.prepare(invocation(withTarget, new ByteArrayOutputStream()), remotes));
        }
    }

    /** A compiler replaced while the server ran the probe: what it printed is remembered for neither. */
    @Test
    void aProbeAnswerFromABinaryReplacedWhileItRanIsNotRemembered() throws Exception {
        BackgroundStores.enable();
        Path compiler = toolchainBinary("rustc");
        writeProbeScript(compiler, temp.resolve("probe-calls.log"), "___\n", true);
        List<String> probe = new ArrayList<>(List.of(compiler.toString()));
        probe.addAll(TargetInfoAnswerTest.PROBE);
        try (OpenRemotes remotes = new OpenRemotes()) {
            assertInstanceOf(CallOutcome.PassThrough.class,
                    RustcWrapper.prepare(invocation(probe, new ByteArrayOutputStream()), remotes));
            assertTrue(BackgroundStores.awaitIdle(30_000));
            assertInstanceOf(CallOutcome.PassThrough.class,
                    RustcWrapper.prepare(invocation(probe, new ByteArrayOutputStream()), remotes));
            assertTrue(BackgroundStores.awaitIdle(30_000), "the next probe is run again, and again not remembered");
        }
        try (Stream<Path> memos = Files.list(storeRoot.resolve("memos"))) {
            assertEquals(List.of(), memos.filter(f -> f.toString().endsWith(".targetinfo")).toList());
        }
    }

    /**
     * A rustc that answers -vV and --version as {@link #writeScript} does, and the target-info probe
     * with {@code answer}; {@code replaceItself}: it moves its own modification time while it answers,
     * as an update landing during the run would.
     */
    private static void writeProbeScript(Path compiler, Path calls, String answer, boolean replaceItself)
            throws IOException {
        Files.writeString(compiler, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n"
                + "if [ \"$1\" = -vV ]; then printf '%s' '" + BANNER + "'; exit 0; fi\n"
                + "if [ \"$1\" = --version ]; then printf '%s\\n' 'rustc 1.95.0 (0123abcd 2026-11-01)'; exit 0; fi\n"
                + "case \" $* \" in *' ___ '*) " + (replaceItself ? "touch -d '+1 hour' \"$0\"; " : "")
                + "printf '%s' '" + answer + "'; exit 0;; esac\n"
                + "exit 1\n");
        Files.setPosixFilePermissions(compiler, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A rustc banner as {@code rustc -vV} prints it. */
    private static final String BANNER = "rustc 1.95.0 (0123abcd 2026-11-01)\nbinary: rustc\ncommit-hash: 0123abcd\n"
            + "commit-date: 2026-11-01\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\nLLVM version: 21.1.2\n";

    /** Where a test toolchain's binary {@code name} goes (its directory made). */
    private Path toolchainBinary(String name) throws IOException {
        return Files.createDirectories(temp.resolve("toolchain/bin")).resolve(name);
    }

    /** A compiler that logs its arguments to {@code calls} and answers -vV with {@code banner}. */
    private static void writeScript(Path compiler, Path calls, String banner) throws IOException {
        writeScript(compiler, calls, banner, banner.lines().findFirst().orElseThrow());
    }

    /**
     * A compiler that logs its arguments to {@code calls}, answers -vV (also after a rustc path, as
     * clippy-driver does) with {@code banner} and --version with {@code version}.
     */
    private static void writeScript(Path compiler, Path calls, String banner, String version) throws IOException {
        Files.writeString(compiler, "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n"
                + "if [ \"$1\" = -vV ] || [ \"$2\" = -vV ]; then printf '%s' '" + banner + "'; exit 0; fi\n"
                + "if [ \"$1\" = --version ]; then printf '%s\\n' '" + version + "'; exit 0; fi\n"
                + "exit 1\n");
        Files.setPosixFilePermissions(compiler, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aCacheableCallIsCompiledAndThenServedFromTheCache() throws Exception {
        try (OpenRemotes remotes = new OpenRemotes()) {
            CallOutcome first = RustcWrapper.prepare(invocation(compile(), new ByteArrayOutputStream()), remotes);
            CallOutcome.Cacheable miss = assertInstanceOf(CallOutcome.Cacheable.class, first);
            assertEquals("greet", miss.call().rustc().crateName());
            assertEquals(List.of(), spy.takeCompiled(), "the setup compiles nothing");
            assertEquals(0, miss.run());
            assertEquals(List.of("greet"), spy.takeCompiled(), "a miss compiles");

            clean();
            CallOutcome second = RustcWrapper.prepare(invocation(compile(), new ByteArrayOutputStream()), remotes);
            assertEquals(0, assertInstanceOf(CallOutcome.Cacheable.class, second).run());
            assertEquals(List.of(), spy.takeCompiled(), "a hit never reaches rustc");
            assertTrue(Files.isRegularFile(deps.resolve("libgreet" + EXTRA + ".rlib")));
        }
    }

    @Test
    void theJvmCallClosesTheRemoteItOpened() throws Exception {
        Path remoteDir = Files.createDirectories(temp.resolve("remote"));
        Path config = temp.resolve("kache.toml");
        Files.writeString(config, "[cache]\nremote_readonly = true\n\n[cache.remote]\ntype = \"filesystem\"\n"
                + "path = \"" + remoteDir + "\"\n");
        env.put("KACHE_CONFIG", config.toString());
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        OpenRemotes.Opener counting = settings -> {
            opened.incrementAndGet();
            return OpenRemotes.PROVIDERS.open(settings).map(store -> closeCounting(store, closed));
        };

        assertEquals(0, RustcWrapper.run(invocation(compile(), new ByteArrayOutputStream()), counting));

        assertEquals(List.of("greet"), spy.takeCompiled(), "a miss here and in the remote compiles");
        assertEquals(1, opened.get(), "the local miss asked the remote");
        assertEquals(1, closed.get(), "the call closed the remote it opened");
    }

    @Test
    void aServerCallWhoseRemoteIsStillOpeningCompilesWithoutMarkingTheRemoteFailed() throws Exception {
        Path remoteDir = Files.createDirectories(temp.resolve("remote"));
        Path config = temp.resolve("kache.toml");
        Files.writeString(config, "[cache]\nremote_readonly = true\nremote_deadline = \"300ms\"\n\n[cache.remote]\n"
                + "type = \"filesystem\"\npath = \"" + remoteDir + "\"\n");
        env.put("KACHE_CONFIG", config.toString());
        java.util.concurrent.CountDownLatch credentials = new java.util.concurrent.CountDownLatch(1);
        OpenRemotes.Opener slow = settings -> {
            try {
                credentials.await(); // SDK class loading and credential resolution on a loaded machine
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return OpenRemotes.PROVIDERS.open(settings);
        };

        // The JVM wrapper opens the remote within the call's deadline: a slow opening marks it failed.
        try (OpenRemotes jvm = new OpenRemotes(slow)) {
            CallOutcome outcome = RustcWrapper.prepare(invocation(compile(), new ByteArrayOutputStream()), jvm);
            assertEquals(0, ((CallOutcome.Cacheable) outcome).run());
        }
        assertEquals(List.of("greet"), spy.takeCompiled());
        assertTrue(remoteFailed(remoteDir), "inside the deadline, a slow opening counts as the remote failing");
        clean();
        storeRoot = temp.resolve("store-2"); // a fresh machine: a local miss, the remote never marked
        env.put("KACHE_CACHE_DIR", storeRoot.toString());

        // The server opens it ahead, outside the deadline: still opening is a plain miss, nothing marked.
        try (OpenRemotes server = new OpenRemotes(slow, true)) {
            CallOutcome outcome = RustcWrapper.prepare(invocation(compile(), new ByteArrayOutputStream()), server);
            assertEquals(0, ((CallOutcome.Cacheable) outcome).run());
            assertEquals(List.of("greet"), spy.takeCompiled(), "the call compiled, as on a miss");
            assertFalse(remoteFailed(remoteDir), "a remote still opening is not a failed remote");
            credentials.countDown();
            assertEquals(OpenRemotes.State.READY, server.readiness(RemoteStores.withCredentials(
                    Optional.of(RemoteSettings.filesystem(remoteDir)), env), java.time.Duration.ofSeconds(30)).state());
        }
    }

    private boolean remoteFailed(Path remoteDir) throws IOException {
        try (LocalStore store = LocalStore.open(storeRoot, 1L << 30)) {
            return store.remoteHealth(io.kache.core.remote.RemoteDestination.of(RemoteSettings.filesystem(remoteDir)))
                    .recentlyFailed();
        }
    }

    @Test
    void anOwnerOpensEachRemoteOnceForAllItsCallsAndClosesItOnce() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        OpenRemotes remotes = new OpenRemotes(settings -> {
            opened.incrementAndGet();
            return Optional.of(closeCounting(new InMemoryArtifactStore(), closed));
        });
        Optional<RemoteSettings> settings = Optional.of(RemoteSettings.filesystem(temp.resolve("remote")));

        ArtifactStore first = remotes.get(settings).orElseThrow();
        assertSame(first, remotes.get(settings).orElseThrow(), "a second call reuses the open remote");
        assertEquals(Optional.empty(), remotes.get(Optional.empty()), "no remote configured, none opened");
        assertEquals(1, opened.get());

        remotes.close();
        assertEquals(1, closed.get());
        assertEquals(Optional.empty(), remotes.get(settings), "a call after the owner closed finds no remote");
        assertEquals(1, opened.get(), "and opens none its owner would never close");
        remotes.close();
        assertEquals(1, closed.get(), "closed once");
    }

    /** {@code store}, counting its closes in {@code closed}. */
    private static ArtifactStore closeCounting(ArtifactStore store, AtomicInteger closed) {
        return (ArtifactStore) Proxy.newProxyInstance(WrapperSetupTest.class.getClassLoader(),
                new Class<?>[] {ArtifactStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        closed.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Map<String, Long> passthroughReasons() throws IOException {
        try (LocalStore store = LocalStore.open(storeRoot, 1L << 30)) {
            return store.stats().passthroughReasons();
        }
    }

    private List<String> compile() {
        return greet.compile();
    }

    /** A call with both its streams going to {@code out}. */
    private Invocation invocation(List<String> args, ByteArrayOutputStream out) {
        return greet.invocation(args, out, OptionalLong.empty());
    }

    private void clean() throws IOException {
        greet.clean();
    }
}
