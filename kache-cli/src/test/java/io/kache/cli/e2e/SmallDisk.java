package io.kache.cli.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for one test, to run out of space for real; the test is skipped, with the
 * reason, where mounting is not permitted (not root, no CAP_SYS_ADMIN, no {@code mount}).
 */
final class SmallDisk implements AutoCloseable {

    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code size} ({@code mount -o size=}, e.g. {@code 3m}) on the empty directory {@code dir}. */
    static SmallDisk mount(Path dir, String size) throws IOException, InterruptedException {
        int exit = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Assumptions.assumeTrue(exit == 0, "a " + size + " tmpfs cannot be mounted here (mount exited " + exit + ")");
        return new SmallDisk(dir);
    }

    Path root() {
        return root;
    }

    /** Lazily: a process of the test may still hold a file of it open. */
    @Override
    public void close() throws IOException, InterruptedException {
        int exit = run("umount", "-l", root.toString());
        if (exit != 0) {
            throw new IOException("umount -l " + root + " exited " + exit);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return -1;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
