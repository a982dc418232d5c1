package io.kache.cli.e2e;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * {@code kache report} through the repository's {@code bin/kache}: the native client and the kache
 * server, whose calls must journal the same build (cargo's, from the client's pid) as the JVM's.
 */
class ServerReportCargoIT extends ReportCargoIT {

    @Override
    Path launcher(Path binDir) {
        return KacheLauncher.repositoryLauncher();
    }

    @Override
    Map<String, String> launcherEnv() {
        return KacheLauncher.ownServer(tmp);
    }

    @AfterEach
    void awaitServer() throws InterruptedException {
        KacheLauncher.awaitOwnServer(tmp);
    }
}
