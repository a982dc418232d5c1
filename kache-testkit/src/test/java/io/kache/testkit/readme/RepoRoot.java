package io.kache.testkit.readme;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's root from the module directory the test runs in. */
final class RepoRoot {

    private RepoRoot() {
    }

    /**
     * The nearest directory at or above {@code basedir} (set by surefire to the module directory)
     * that holds both the README and the testkit module.
     */
    static Path find() {
        // An IDE run may not set basedir; its working directory is then the module or the root.
        String start = System.getProperty("basedir", System.getProperty("user.dir"));
        for (Path dir = Path.of(start).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("kache-testkit"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no README.md with a kache-testkit directory beside it at or above " + start);
    }
}
