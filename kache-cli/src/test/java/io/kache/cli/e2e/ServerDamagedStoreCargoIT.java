package io.kache.cli.e2e;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** {@link DamagedStoreCargoIT} through the repository's {@code bin/kache}: the native client and the server. */
class ServerDamagedStoreCargoIT extends DamagedStoreCargoIT {

    @Override
    Path launcher(Path binDir) {
        return KacheLauncher.repositoryLauncher();
    }

    @AfterEach
    void awaitTheServer() throws InterruptedException {
        KacheLauncher.awaitOwnServer(tmp);
    }

    @Override
    Map<String, String> launcherEnv() {
        return KacheLauncher.ownServer(tmp);
    }
}
