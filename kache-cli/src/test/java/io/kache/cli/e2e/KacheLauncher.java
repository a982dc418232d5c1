package io.kache.cli.e2e;

import io.kache.testkit.Deadline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code kache} executable for tests: a shell script that starts {@code io.kache.cli.Main} on this
 * test JVM's class path, so cargo can use it as {@code RUSTC_WRAPPER} without a packaged build.
 */
final class KacheLauncher {

    private KacheLauncher() {
    }

    /**
     * The repository's own {@code bin/kache}, as users run it: through the native client and the
     * kache server. Skips the calling test, with the reason, where no C compiler built the client.
     */
    static Path repositoryLauncher() {
        Path repo = DemoWorkspace.SOURCE.getParent().getParent();
        Assumptions.assumeTrue(Files.isExecutable(repo.resolve("kache-cli/target/kache-client")),
                "no C compiler built kache-client here; the JVM-per-call tests cover the same behaviour");
        return repo.resolve("bin/kache");
    }

    /** The environment that gives a test its own server under {@code tmp}, gone soon after the test. */
    static Map<String, String> ownServer(Path tmp) {
        return Map.of("KACHE_SERVER_DIR", tmp.resolve("server").toString(), "KACHE_SERVER_IDLE_MS", "15000");
    }

    /**
     * Waits for the server of {@link #ownServer} if a call started one: it starts detached and must
     * be up before the test's directory is deleted, or it writes its files there while JUnit deletes them.
     */
    static void awaitOwnServer(Path tmp) throws InterruptedException {
        Path serverDir = tmp.resolve("server");
        if (Files.isDirectory(serverDir)) {
            Deadline.in(Duration.ofSeconds(60)).await("the server to listen", () -> ServerCargoIT.hasSocket(serverDir));
        }
    }

    static Path create(Path dir) throws IOException {
        Path script = dir.resolve("kache");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String text = "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
                + " '-Dkache.launcher=" + script + "'"
                + " -cp '" + System.getProperty("java.class.path") + "' io.kache.cli.Main \"$@\"\n";
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
