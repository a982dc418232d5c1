package io.kache.cli.e2e;

import java.nio.file.Path;
import java.util.Map;

/** {@link DamagedStoreCargoIT} through the repository's {@code bin/kache}: the native client and the server. */
class ServerDamagedStoreCargoIT extends DamagedStoreCargoIT {

    @Override
    Path launcher(Path binDir) {
        return KacheLauncher.repositoryLauncher();
    }

    @Override
    Map<String, String> launcherEnv() {
        return Map.of("KACHE_SERVER_DIR", tmp.resolve("server").toString(), "KACHE_SERVER_IDLE_MS", "15000");
    }
}
