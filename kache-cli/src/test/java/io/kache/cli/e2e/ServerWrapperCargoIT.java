package io.kache.cli.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Every scenario of {@link WrapperCargoIT} again, through the repository's {@code bin/kache}: the
 * native client and the kache server serve the compiles, a JVM only what the server declines.
 */
class ServerWrapperCargoIT extends WrapperCargoIT {

    private static final Path REPO = DemoWorkspace.SOURCE.getParent().getParent();

    @Override
    Path launcher(Path binDir) {
        Assumptions.assumeTrue(Files.isExecutable(REPO.resolve("kache-cli/target/kache-client")),
                "no C compiler built kache-client here; WrapperCargoIT covers the JVM path");
        return REPO.resolve("bin/kache");
    }

    @Override
    Map<String, String> launcherEnv() {
        // A server per test, gone soon after it.
        return Map.of("KACHE_SERVER_DIR", tmp.resolve("server").toString(), "KACHE_SERVER_IDLE_MS", "15000");
    }
}
