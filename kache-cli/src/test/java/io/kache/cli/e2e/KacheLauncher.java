package io.kache.cli.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
