package io.kache.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command prefix that starts a process of kache's own at a lower CPU and I/O priority, so the
 * build wins when both want a core or the disk. A JVM cannot lower its own priority, hence the
 * prefix; each tool is used when it is installed where coreutils and util-linux put it, and skipped
 * otherwise.
 */
public final class LowPriority {

    /** How far below the build a process runs. */
    public enum Level {
        /**
         * The uploader: {@code nice -n 5} and the lowest best-effort I/O priority. Not {@code nice -n
         * 19} nor the idle I/O class: on a machine kept busy by other work those starve the uploader
         * for minutes (seen: a test's four uploads not done in two minutes at a load average of 13),
         * and every entry must reach the remote in bounded time. What keeps the uploader off the
         * build is its pacing; this only softens the sends it allows.
         */
        UPLOADS("5", List.of("-c", "2", "-n", "7")),
        /**
         * Work whose result only a later build uses (a probe run for its answer): {@code nice -n
         * 19} and the idle I/O class, so it runs in what the build leaves. Starved, it only comes
         * later, or not at all.
         */
        SPARE("19", List.of("-c", "3"));

        private final String niceness;
        private final List<String> ioClass;

        Level(String niceness, List<String> ioClass) {
            this.niceness = niceness;
            this.ioClass = ioClass;
        }
    }

    private static final List<String> DIRS = List.of("/usr/bin", "/bin");

    private LowPriority() {
    }

    /** The prefix for {@code level}, with the tools found where they are installed. */
    public static List<String> prefix(Level level) {
        return prefix(level, DIRS);
    }

    static List<String> prefix(Level level, List<String> dirs) {
        List<String> prefix = new ArrayList<>();
        find(dirs, "nice").ifPresent(nice -> prefix.addAll(List.of(nice, "-n", level.niceness)));
        find(dirs, "ionice").ifPresent(ionice -> {
            prefix.add(ionice);
            prefix.addAll(level.ioClass);
        });
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
