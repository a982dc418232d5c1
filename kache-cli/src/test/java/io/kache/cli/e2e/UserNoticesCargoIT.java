package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real cargo, its stderr a pipe as in CI: kache's warnings reach cargo's stderr once per build,
 * not once per crate, and never become part of a unit's output that cargo replays, so a later
 * no-op {@code cargo build} prints nothing from kache.
 */
class UserNoticesCargoIT {

    static final Map<String, String> FILES = Map.of(
            "Cargo.toml", "[workspace]\nmembers = [\"one\", \"two\", \"app\"]\nresolver = \"2\"\n",
            "one/Cargo.toml", SmallWorkspace.manifest("one", ""),
            "one/src/lib.rs", "pub fn one() -> u32 { 1 }\n",
            "two/Cargo.toml", SmallWorkspace.manifest("two", ""),
            "two/src/lib.rs", "pub fn two() -> u32 { 2 }\n",
            "app/Cargo.toml", SmallWorkspace.manifest("app",
                    "[dependencies]\none = { path = \"../one\" }\ntwo = { path = \"../two\" }\n"),
            "app/src/main.rs", "fn main() { println!(\"{}\", one::one() + two::two()); }\n");

    @TempDir
    Path tmp;

    /** A server may still be storing a miss in the background: stopped before the directory goes. */
    @AfterEach
    void stopTheServers() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }

    private SmallWorkspace ws;

    @BeforeEach
    void setUp() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        ws = SmallWorkspace.write(tmp.resolve("ws"), FILES, kache, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.put("KACHE_SERVER_DIR", tmp.resolve("server").toString());
    }

    @Test
    void aRemoteDownDuringTheBuildIsSaidOnceAndNeverReplayed() throws Exception {
        Map<String, String> down = Map.of(
                "KACHE_S3_BUCKET", "build-cache",
                "KACHE_S3_ENDPOINT", "http://127.0.0.1:1",
                "KACHE_S3_ACCESS_KEY", "AKIDKACHETEST",
                "KACHE_S3_SECRET_KEY", "kache-test-secret",
                "KACHE_REMOTE_DEADLINE", "2s");
        String first = build(down);
        assertEquals(1, kacheLines(first).size(), "one warning for the build:\n" + first);
        assertTrue(kacheLines(first).get(0).contains("remote"), first);
        String again = build(Map.of());
        assertEquals(List.of(), kacheLines(again), "a no-op build replays nothing of kache's:\n" + again);
    }

    /**
     * The build after a remote failure leaves the remote alone for the quiet period: it says so once
     * (since when, why, until when, what to check), rather than looking like a build that asked it.
     */
    @Test
    void aBuildThatLeavesAFailedRemoteAloneSaysSoOnce() throws Exception {
        Map<String, String> down = Map.of(
                "KACHE_S3_BUCKET", "build-cache",
                "KACHE_S3_ENDPOINT", "http://127.0.0.1:1",
                "KACHE_S3_ACCESS_KEY", "AKIDKACHETEST",
                "KACHE_S3_SECRET_KEY", "kache-test-secret",
                "KACHE_REMOTE_DEADLINE", "2s");
        String first = build(down);
        assertEquals(1, kacheLines(first).size(), "one warning for the build:\n" + first);
        assertTrue(kacheLines(first).get(0).contains("kache doctor"), first);
        Files.writeString(ws.dir.resolve("one/src/lib.rs"), "pub fn one() -> u32 { 11 }\n");
        String second = build(down);
        List<String> said = kacheLines(second);
        assertEquals(1, said.size(), "one warning for the build:\n" + second);
        assertTrue(said.get(0).contains("the remote is not asked: it failed at ")
                && said.get(0).contains("leave it alone until ")
                && said.get(0).contains("KACHE_S3_ENDPOINT") && said.get(0).contains("kache doctor"), said.get(0));
        assertFalse(said.get(0).contains("Exception:"), "no Java class name: " + said.get(0));
    }

    /**
     * The detached uploader has no terminal: when the remote refused its writes (it records that in
     * the store), the next build says so once, with what waits and how to fix it.
     */
    @Test
    void aRemoteThatRefusedUploadsIsSaidOnceByTheNextBuild() throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Files.writeString(ws.dir.resolve(".kache.toml"), "[cache.remote]\ntype = \"filesystem\"\npath = \""
                + remote + "\"\n");
        io.kache.core.remote.RemoteDestination to = io.kache.core.remote.RemoteDestination.of(
                io.kache.core.config.ConfigLoader.load(ws.env, ws.dir).remoteSettings().orElseThrow());
        Path refused = Files.createDirectories(tmp.resolve("store/remote-unavailable")).resolve(to.id() + ".refused");
        Files.writeString(refused, "access denied: store of app on " + remote + " (read-only file system)\n");
        String first = build(Map.of());
        List<String> said = kacheLines(first).stream().filter(l -> l.contains("refused")).toList();
        assertEquals(1, said.size(), "one warning for the build:\n" + first);
        assertTrue(said.get(0).contains("the remote refused the upload of entries at ")
                && said.get(0).contains("(read-only file system)") && said.get(0).contains("in the queue")
                && said.get(0).contains("remote_readonly = true"), said.get(0));
    }

    /**
     * A warning of the credential chain (here a key without its secret) is a notice of the build,
     * through the server and in a JVM of its own alike: once, never a log line on rustc's stderr
     * (twice per call, and replayed by cargo), never lost in the server's.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aHalfSetKeyPairIsSaidOncePerBuildAndNeverReplayed(boolean noServer) throws Exception {
        Map<String, String> halfSet = new HashMap<>(Map.of(
                "KACHE_S3_BUCKET", "build-cache",
                "KACHE_S3_ENDPOINT", "http://127.0.0.1:1",
                "KACHE_S3_ACCESS_KEY", "AKIDKACHETEST",
                "AWS_ACCESS_KEY_ID", "AKIDKACHETEST",
                "AWS_SECRET_ACCESS_KEY", "kache-test-secret",
                "KACHE_REMOTE_DEADLINE", "2s"));
        if (noServer) {
            halfSet.put("KACHE_NO_SERVER", "1");
        }
        String first = build(halfSet);
        List<String> said = kacheLines(first).stream().filter(l -> l.contains("KACHE_S3_SECRET_KEY")).toList();
        assertEquals(1, said.size(), "one warning for the build:\n" + first);
        assertTrue(said.get(0).startsWith("warning: kache: KACHE_S3_ACCESS_KEY is set but"), said.get(0));
        assertFalse(first.contains("WARN io.kache"), "no log line reaches the build:\n" + first);
        String again = build(noServer ? Map.of("KACHE_NO_SERVER", "1") : Map.of());
        assertEquals(List.of(), kacheLines(again), "a no-op build replays nothing of kache's:\n" + again);
    }

    @Test
    void aMisspeltKeyGetsADidYouMeanOncePerBuildAndIsNotReplayedOnceFixed() throws Exception {
        Path config = ws.dir.resolve(".kache.toml");
        Files.writeString(config, "[cache]\nlocal_stor = \"" + tmp.resolve("other") + "\"\n");
        String first = build(Map.of());
        List<String> lines = kacheLines(first);
        assertEquals(1, lines.size(), "said once, not once per crate:\n" + first);
        assertTrue(lines.get(0).contains("did you mean local_store?"), first);
        Files.writeString(config, "[cache]\n");
        String again = build(Map.of());
        assertEquals(List.of(), kacheLines(again), "fixed: a no-op build says nothing:\n" + again);
    }

    /**
     * A {@code KACHE_BUILD_ID} every build shares (a CI job's over several cargo commands, or one a
     * shell exports) still gets a notice in each cargo command: said once for the id, it was never
     * said again.
     */
    @Test
    void aFixedBuildIdStillGetsTheNoticeInEachCargoCommand() throws Exception {
        Files.writeString(ws.dir.resolve(".kache.toml"), "[cache]\nlocal_stor = \"" + tmp.resolve("other") + "\"\n");
        Map<String, String> job = Map.of("KACHE_BUILD_ID", "ci-job-7");
        String first = build(job);
        assertEquals(1, kacheLines(first).size(), "said once, not once per crate:\n" + first);
        ws.cargo(Map.of(), "clean").assertOk("cargo clean");
        String second = build(job);
        List<String> lines = kacheLines(second);
        assertEquals(1, lines.size(), "the next cargo command of the same id says it too:\n" + second);
        assertTrue(lines.get(0).contains("did you mean local_store?"), second);
    }

    /**
     * A server directory kache-client refuses makes every call a JVM of its own: the build says
     * why, once. A symlink, with a trailing slash too, is refused and nothing is made through it;
     * a relative path is refused rather than naming a directory (and a server) per crate.
     */
    @ParameterizedTest
    @ValueSource(strings = {"link", "link/", "relative"})
    void aServerDirectoryTheClientRefusesIsSaidOncePerBuild(String named) throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        String value = switch (named) {
            case "link" -> link.toString();
            case "link/" -> link + "/";
            default -> "kache-server";
        };
        String first = build(Map.of("KACHE_SERVER_DIR", value));
        List<String> said = kacheLines(first);
        assertEquals(1, said.size(), "said once, not once per crate:\n" + first);
        assertTrue(said.get(0).contains(named.equals("relative") ? "kache-server is a relative path" : "is a symbolic link"),
                said.get(0));
        assertTrue(said.get(0).contains("every rustc call starts a JVM"), said.get(0));
        try (Stream<Path> files = Files.list(real)) {
            assertEquals(List.of(), files.toList(), "nothing made through the link");
        }
        for (String dir : List.of(".", "one", "two", "app")) {
            assertFalse(Files.exists(ws.dir.resolve(dir).resolve("kache-server")), dir);
        }
    }

    /** Runs {@code cargo build} with stderr a pipe (as a CI runner reads it) and returns that stderr. */
    private String build(Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(ws.env);
        env.putAll(extra);
        ProcessBuilder pb = new ProcessBuilder("cargo", "build").directory(ws.dir.toFile());
        pb.environment().putAll(env);
        Path out = tmp.resolve("cargo-out.txt");
        pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "cargo build timed out");
        assertEquals(0, p.exitValue(), "cargo build failed:\n" + stderr);
        return stderr;
    }

    private static List<String> kacheLines(String stderr) {
        List<String> lines = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (line.contains("kache")) {
                lines.add(line);
            }
        }
        return lines;
    }
}
