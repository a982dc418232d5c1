package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.journal.BuildEvent;
import io.kache.core.journal.WorkspaceSide;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildJournalTest {

    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void dayNamesAreTheUtcDatesOfTheCalls() {
        for (long day : new long[] {0, 1, 59, 365, 10_957, 19_000, 20_000, 20_793, 25_000}) {
            assertEquals(LocalDate.ofEpochDay(day).toString(), BuildJournal.dayName(day));
            assertEquals(day, BuildJournal.dayOf(BuildJournal.dayName(day) + ".log"));
        }
    }

    @Test
    void appendsOneLinePerCallAndReadsThemBackSkippingTornLines() throws Exception {
        try (LocalStore store = LocalStore.open(dir, 1L << 30)) {
            long now = System.currentTimeMillis();
            store.journal().append(event(now - 10, "a"));
            store.journal().append(event(now - 5, "b"));
            Path file = store.layout().journalDir().resolve(BuildJournal.dayName(now / DAY) + ".log");
            Files.writeString(file, "k1\t12\ttorn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            List<BuildEvent> read = store.journal().read(0);
            assertEquals(List.of("a", "b"), read.stream().map(BuildEvent::crate).toList());
            assertEquals(List.of("b"), store.journal().read(now - 6).stream().map(BuildEvent::crate).toList());
        }
    }

    @Test
    void keepsSevenDaysAndGcDeletesOlderOnes() throws Exception {
        try (LocalStore store = LocalStore.open(dir, 1L << 30)) {
            long now = System.currentTimeMillis();
            store.journal().append(event(now - 8 * DAY, "old"));
            store.journal().append(event(now - 6 * DAY, "kept"));
            Path old = store.layout().journalDir().resolve(BuildJournal.dayName((now - 8 * DAY) / DAY) + ".log");
            assertTrue(Files.exists(old));
            store.gc(java.util.Optional.empty());
            assertFalse(Files.exists(old), "gc deletes journal days older than a week");
            assertEquals(List.of("kept"), store.journal().read(0).stream().map(BuildEvent::crate).toList());
            // The first line of a new day prunes too.
            store.journal().append(event(now - 9 * DAY, "older"));
            store.journal().append(event(now, "today"));
            assertEquals(List.of("kept", "today"), store.journal().read(0).stream().map(BuildEvent::crate).toList());
        }
    }

    private static BuildEvent event(long time, String crate) {
        return new BuildEvent(time, "1-2", new WorkspaceSide("/w/target", "debug", "host", "t", "none"), crate, "lib",
                "-", BuildEvent.Outcome.MISS, "", 5, 0, 0, 0);
    }
}
