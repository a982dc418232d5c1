package io.kache.core.store;

import io.kache.core.journal.BuildEvent;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The build journal: one line per wrapper call ({@link BuildEvent}) in {@code journal/YYYY-MM-DD.log}
 * (UTC day of the call). A call appends its line with one {@code O_APPEND} write and no fsync, so
 * lines of concurrent calls never interleave (each is one small write) and the hit path pays one
 * open, one fstat, one write and one close. A day's file stops growing at {@link #MAX_DAY_BYTES};
 * the files of the last {@link #KEEP_DAYS} days are kept: the first append of a day and every
 * collection delete older ones. A torn last line (a crash mid-write) is skipped by readers.
 */
public final class BuildJournal {

    /** Days of journal kept, today included. */
    public static final int KEEP_DAYS = 7;
    /** A day's file is not appended to beyond this size (about 150,000 calls). */
    static final long MAX_DAY_BYTES = 32L << 20;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final String SUFFIX = ".log";

    private final Path dir;

    BuildJournal(StoreLayout layout) {
        this.dir = layout.journalDir();
    }

    /** Appends one event. Never throws: the journal is best effort, a build never fails for it. */
    public void append(BuildEvent event) {
        try {
            Path file = dir.resolve(dayName(event.timeMillis() / DAY_MILLIS) + SUFFIX);
            byte[] line = event.encode().getBytes(StandardCharsets.UTF_8);
            // A stat, not the channel's size: FileChannel costs a fresh JVM class loading the hit path does not need.
            long size = file.toFile().length();
            if (size + line.length > MAX_DAY_BYTES) {
                return;
            }
            boolean first = size == 0;
            try (FileOutputStream out = open(file)) {
                out.write(line);
            }
            if (first) {
                prune(event.timeMillis());
            }
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(BuildJournal.class).debug("journal append failed: {}", e.toString());
        }
    }

    private FileOutputStream open(Path file) throws IOException {
        try {
            return new FileOutputStream(file.toFile(), true);
        } catch (java.io.FileNotFoundException e) {
            Files.createDirectories(dir);
            return new FileOutputStream(file.toFile(), true);
        }
    }

    /** Events of calls at or after {@code sinceMillis}, oldest first; unreadable lines are skipped. */
    public List<BuildEvent> read(long sinceMillis) throws IOException {
        List<BuildEvent> events = new ArrayList<>();
        long firstDay = Math.floorDiv(sinceMillis, DAY_MILLIS);
        for (Path file : files()) {
            Long day = dayOf(file.getFileName().toString());
            if (day == null || day < firstDay) {
                continue;
            }
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    BuildEvent.parse(line).filter(e -> e.timeMillis() >= sinceMillis).ifPresent(events::add);
                }
            } catch (NoSuchFileException e) {
                // Pruned meanwhile.
            } catch (java.nio.charset.MalformedInputException e) {
                // A damaged file: what was read stays.
            }
        }
        events.sort(java.util.Comparator.comparingLong(BuildEvent::timeMillis));
        return events;
    }

    /** Deletes day files older than {@link #KEEP_DAYS} days before {@code nowMillis}; returns how many. */
    public int prune(long nowMillis) throws IOException {
        long oldestKept = nowMillis / DAY_MILLIS - (KEEP_DAYS - 1);
        int removed = 0;
        for (Path file : files()) {
            Long day = dayOf(file.getFileName().toString());
            if (day != null && day < oldestKept && Files.deleteIfExists(file)) {
                removed++;
            }
        }
        return removed;
    }

    /** The journal's day files, sorted by name (= by day). */
    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            s.forEach(files::add);
        } catch (NoSuchFileException e) {
            return files;
        }
        files.sort(null);
        return files;
    }

    /** {@code YYYY-MM-DD} of an epoch day, by hand: java.time costs a fresh JVM milliseconds of class loading. */
    static String dayName(long epochDay) {
        // Howard Hinnant's civil_from_days.
        long z = epochDay + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        // No String.format: its Formatter parses the pattern with a regex, costly in a fresh JVM.
        return y + (m < 10 ? "-0" : "-") + m + (d < 10 ? "-0" : "-") + d;
    }

    /** The epoch day of a day file's name, or null for anything else. */
    static Long dayOf(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(fileName.substring(0, fileName.length() - SUFFIX.length())).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
