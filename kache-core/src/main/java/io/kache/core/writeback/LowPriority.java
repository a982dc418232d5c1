package io.kache.core.writeback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command prefix that starts a process at the lowest CPU priority ({@code nice -n 19}) and in
 * the idle I/O class ({@code ionice -c 3}), so it only takes what the build leaves. A JVM cannot
 * lower its own priority, hence the prefix; each tool is used when it is installed where coreutils
 * and util-linux put it, and skipped otherwise (the uploader then runs at normal priority).
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
        find(dirs, "nice").ifPresent(nice -> prefix.addAll(List.of(nice, "-n", "19")));
        find(dirs, "ionice").ifPresent(ionice -> prefix.addAll(List.of(ionice, "-c", "3")));
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
