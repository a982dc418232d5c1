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
public final class KacheLauncher {

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
     * Waits for the server of {@link #ownServer} if a call started one, then stops every process
     * still working in its directory: a server starts detached, and so may a second one a racing
     * call started, or an uploader; any of them could write there while JUnit deletes the test's
     * directory (seen as DirectoryNotEmptyException on cleanup).
     */
    static void awaitOwnServer(Path tmp) throws InterruptedException {
        Path serverDir = tmp.resolve("server");
        if (Files.isDirectory(serverDir)) {
            Deadline.in(Duration.ofSeconds(60)).await("the server to listen", () -> ServerCargoIT.hasSocket(serverDir));
        }
        stopProcessesOf(tmp);
    }

    /** Stops the processes whose environment names a path under {@code tmp} (this test's kache processes). */
    public static void stopProcessesOf(Path tmp) throws InterruptedException {
        byte[] mark = ("=" + tmp + "/").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        java.util.List<ProcessHandle> stopped = new java.util.ArrayList<>();
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            if (p.pid() == self) {
                continue;
            }
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
                if (indexOf(env, mark) >= 0 && p.destroy()) {
                    stopped.add(p);
                }
            } catch (IOException | RuntimeException e) {
                // Gone, or not ours to read.
            }
        }
        for (ProcessHandle p : stopped) {
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
