package io.kache.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether a file changed after a moment is told by the file clock, and by its ctime too. */
class FileClockTest {

    @TempDir
    Path temp;

    @Test
    void aFileWrittenBeforeTheStampHasNotChangedAndOneRewrittenAfterHasWhateverItsMtimeSays() throws Exception {
        Path source = Files.writeString(temp.resolve("lib.rs"), "pub fn a() {}\n");
        FileClockTicks.awaitNextTick(temp);   // past the tick it was written in
        long stamp = FileClock.now(temp.resolve("stamp"));
        assertFalse(FileIdentity.of(source).orElseThrow().changedSince(stamp, source), "written before");
        assertEquals(List.of("lib.rs"), names(), "the clock's scratch file is gone");

        FileClockTicks.awaitNextTick(temp);
        Files.writeString(source, "pub fn b() {}\n");
        Files.setLastModifiedTime(source, FileTime.fromMillis(1_577_836_800_000L));   // as cp -p leaves it
        assertTrue(FileIdentity.of(source).orElseThrow().changedSince(stamp, source), "rewritten after, mtime set back");
    }

    @Test
    void withoutAScratchFileTheClockErrsTowardsChanged() throws Exception {
        Path source = Files.writeString(temp.resolve("lib.rs"), "pub fn a() {}\n");
        long stamp = FileClock.now(temp.resolve("missing-dir/stamp"));
        assertTrue(stamp < System.currentTimeMillis() * 1_000_000L - FileIdentity.COARSE_RACY_WINDOW_NANOS / 2);
        assertTrue(FileIdentity.of(source).orElseThrow().changedSince(stamp, source));
    }

    private List<String> names() throws Exception {
        try (var files = Files.list(temp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
