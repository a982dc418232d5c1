package io.kache.cli.e2e;

import java.nio.file.Path;
import java.util.Map;

/**
 * Every scenario of {@link WrapperCargoIT} again, through the repository's {@code bin/kache}: the
 * native client and the kache server serve the compiles, a JVM only what the server declines.
 */
class ServerWrapperCargoIT extends WrapperCargoIT {

    @Override
    Path launcher(Path binDir) {
        return KacheLauncher.repositoryLauncher();
    }

    @Override
    Map<String, String> launcherEnv() {
        // A server per test, gone soon after it.
        return Map.of("KACHE_SERVER_DIR", tmp.resolve("server").toString(), "KACHE_SERVER_IDLE_MS", "15000");
    }
}
