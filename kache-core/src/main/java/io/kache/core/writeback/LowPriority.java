package io.kache.core.writeback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command prefix that starts a process at a lower CPU priority ({@code nice -n 5}) and at the
 * lowest best-effort I/O priority ({@code ionice -c 2 -n 7}), so the build wins when both want a
 * core or the disk. Not {@code nice -n 19} nor the idle I/O class: on a machine kept busy by other
 * work those starve the uploader for minutes (seen: a test's four uploads not done in two minutes
 * at a load average of 13), and every entry must reach the remote in bounded time. What keeps the
 * uploader off the build is {@link UploadPacing}; this only softens the sends it allows. A JVM
 * cannot lower its own priority, hence the prefix; each tool is used when it is installed where
 * coreutils and util-linux put it, and skipped otherwise.
 */
final class LowPriority {

    private static final List<String> DIRS = List.of("/usr/bin", "/bin");

    private LowPriority() {
    }

    static List<String> prefix() {
        return prefix(DIRS);
    }

    static List<String> prefix(List<String> dirs) {
        List<String> prefix = new ArrayList<>();
        find(dirs, "nice").ifPresent(nice -> prefix.addAll(List.of(nice, "-n", "5")));
        find(dirs, "ionice").ifPresent(ionice -> prefix.addAll(List.of(ionice, "-c", "2", "-n", "7")));
        return prefix;
    }

    private static Optional<String> find(List<String> dirs, String tool) {
        for (String dir : dirs) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }
}
