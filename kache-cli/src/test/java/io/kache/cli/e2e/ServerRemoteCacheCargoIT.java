package io.kache.cli.e2e;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

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

    /** Each machine's server may still be storing a miss in the background: stopped before the directory goes. */
    @AfterEach
    void stopTheServers() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }
}
