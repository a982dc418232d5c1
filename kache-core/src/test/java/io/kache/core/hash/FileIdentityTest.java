package io.kache.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdentityTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path tmp;

    private static FileIdentity stamped(long mtime, long ctime) {
        return new FileIdentity(1, 2, 3, mtime, ctime);
    }

    @Test
    void fineTimesSettleAfterTheFineWindow() {
        FileIdentity id = stamped(100 * SECOND + 123_456_789, 100 * SECOND + 223_456_789);
        assertEquals(FileIdentity.FINE_RACY_WINDOW_NANOS, id.racyWindowNanos());
        assertFalse(id.settledAt(id.lastChangeNanos() + FileIdentity.FINE_RACY_WINDOW_NANOS));
        assertTrue(id.settledAt(id.lastChangeNanos() + FileIdentity.FINE_RACY_WINDOW_NANOS + 1));
    }

    @Test
    void wholeSecondsOrRoundMillisecondsGetTheCoarseWindow() {
        long fine = 100 * SECOND + 123_456_789;
        for (FileIdentity id : new FileIdentity[] {
                stamped(100 * SECOND, 100 * SECOND),       // a file system of whole seconds
                stamped(fine, 100 * SECOND),               // one round time is enough to doubt
                stamped(100 * SECOND + 10_000_000, fine)}) { // FAT-like 10 ms steps
            assertEquals(FileIdentity.COARSE_RACY_WINDOW_NANOS, id.racyWindowNanos(), id.toString());
            assertFalse(id.settledAt(id.lastChangeNanos() + SECOND), id.toString());
            assertTrue(id.settledAt(id.lastChangeNanos() + FileIdentity.COARSE_RACY_WINDOW_NANOS + 1), id.toString());
        }
    }

    @Test
    void aFutureChangeIsNeverSettled() {
        FileIdentity id = stamped(100 * SECOND + 1, 100 * SECOND + 1);
        assertFalse(id.settledAt(99 * SECOND));
    }

    @Test
    void aHardLinkMovesCtimeButNotContent() throws Exception {
        Path f = tmp.resolve("libx.so");
        Files.writeString(f, "x");
        FileIdentity before = FileIdentity.of(f).orElseThrow();
        Thread.sleep(20);
        Files.createLink(tmp.resolve("uplifted.so"), f);
        FileIdentity after = FileIdentity.of(f).orElseThrow();
        assertTrue(before.sameContentAs(after));
        assertTrue(after.ctimeNanos() > before.ctimeNanos(), "a new link moves the ctime");
    }
}
