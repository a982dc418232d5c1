package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.s3.SilentServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Read-through, write-back, a remote that is down and a read-only remote again, through the
 * repository's {@code bin/kache}: the kache server reads through for many calls with one open remote.
 */
class ServerRemoteCacheCargoIT extends RemoteCacheCargoIT {

    @Override
    Path launcher(Path binDir) {
        return KacheLauncher.repositoryLauncher();
    }

    @Override
    Map<String, String> launcherEnv(Path machine) {
        // One server per machine of a test, gone soon after it.
        return Map.of("KACHE_SERVER_DIR", machine.resolve("server").toString(), "KACHE_SERVER_IDLE_MS", "15000");
    }

    /**
     * A remote that accepts connections and never answers (a hung proxy, a black-holed route) costs a
     * cold build one {@code remote_deadline}: the calls that waited that long for their build's
     * record compile, rather than wait as long again for a GET of their own ("the remote read of …
     * was given up", which the JVM-per-call path says after its one wait), and the record's read,
     * given up, makes the build leave the remote alone.
     */
    @Test
    void aSilentRemoteCostsTheBuildOneDeadline() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            DemoWorkspace ws = machine("silent", Map.of(
                    "KACHE_S3_BUCKET", "build-cache",
                    "KACHE_S3_ENDPOINT", silent.endpoint().toString(),
                    "KACHE_S3_ACCESS_KEY", "AKIDKACHETEST",
                    "KACHE_S3_SECRET_KEY", "kache-test-secret",
                    "KACHE_REMOTE_DEADLINE", "4s"));
            CargoRun.Result r = ws.cargo("build").assertOk("build with a silent remote");
            assertEquals(EXPECTED, ws.runApp(ws.dir.resolve("target"), "debug"));
            assertTrue(Files.exists(tmp.resolve("silent/store/remote-unavailable")), "the silence is remembered");
            assertTrue(r.stderr().contains("for this build's record from the remote"), r.stderr());
            assertFalse(r.stderr().contains("was given up"), "no call waited a second deadline:\n" + r.stderr());
        }
    }

    /** Each machine's server may still be storing a miss in the background: stopped before the directory goes. */
    @AfterEach
    void stopTheServers() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }
}
