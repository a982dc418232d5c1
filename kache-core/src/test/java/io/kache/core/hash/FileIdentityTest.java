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

    /** An identity on the device of a real file in the temp directory (a local file system here). */
    private FileIdentity stamped(long mtime, long ctime) throws Exception {
        Path f = tmp.resolve("f");
        Files.writeString(f, "x");
        FileIdentity real = FileIdentity.of(f).orElseThrow();
        return new FileIdentity(real.dev(), real.ino(), real.size(), mtime, ctime);
    }

    @Test
    void theTempDirectoryIsOnALocalFileSystem() throws Exception {
        assertTrue(LocalClockDevices.isLocalType(Files.getFileStore(tmp).type()),
                "this machine's temp directory: " + Files.getFileStore(tmp).type());
    }

    @Test
    void fineTimesOnALocalFileSystemSettleAfterTheFineWindow() throws Exception {
        FileIdentity id = stamped(100 * SECOND + 123_456_789, 100 * SECOND + 223_456_789);
        Path f = tmp.resolve("f");
        assertEquals(FileIdentity.FINE_RACY_WINDOW_NANOS, id.racyWindowNanos(f));
        assertFalse(id.settledAt(id.lastChangeNanos() + FileIdentity.FINE_RACY_WINDOW_NANOS, f));
        assertTrue(id.settledAt(id.lastChangeNanos() + FileIdentity.FINE_RACY_WINDOW_NANOS + 1, f));
    }

    @Test
    void wholeSecondsOrRoundMillisecondsGetTheCoarseWindow() throws Exception {
        long fine = 100 * SECOND + 123_456_789;
        Path f = tmp.resolve("f");
        for (FileIdentity id : new FileIdentity[] {
                stamped(100 * SECOND, 100 * SECOND),                // a file system of whole seconds
                stamped(fine, 100 * SECOND),                        // a round ctime is enough to doubt
                stamped(fine, 100 * SECOND + 10_000_000)}) {         // FAT-like 10 ms steps
            assertEquals(FileIdentity.COARSE_RACY_WINDOW_NANOS, id.racyWindowNanos(f), id.toString());
            assertFalse(id.settledAt(id.lastChangeNanos() + SECOND, f), id.toString());
            assertTrue(id.settledAt(id.lastChangeNanos() + FileIdentity.COARSE_RACY_WINDOW_NANOS + 1, f), id.toString());
        }
    }

    /**
     * An mtime from an archive (tar x, cargo unpacking a registry crate: whole seconds) says nothing
     * of the file system's clock; the kernel's fine ctime does (found by review: an unpacked crate
     * compiled within two seconds counted as changed while rustc ran, and was never stored).
     */
    @Test
    void aRoundMtimeFromAnArchiveWithAFineCtimeGetsTheFineWindow() throws Exception {
        FileIdentity unpacked = stamped(100 * SECOND, 200 * SECOND + 123_456_789);
        Path f = tmp.resolve("f");
        assertEquals(FileIdentity.FINE_RACY_WINDOW_NANOS, unpacked.racyWindowNanos(f));
        assertFalse(unpacked.changedSince(200 * SECOND + 123_456_789, f), "unpacked within the stamp's tick");
        assertTrue(unpacked.changedSince(200 * SECOND + 123_456_788, f), "after the stamp");
    }

    @Test
    void networkAndUserSpaceFileSystemsAreNotLocal() {
        for (String type : new String[] {"nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "9p", "virtiofs", "unknown"}) {
            assertFalse(LocalClockDevices.isLocalType(type), type);
        }
        for (String type : new String[] {"ext4", "xfs", "btrfs", "tmpfs", "overlay"}) {
            assertTrue(LocalClockDevices.isLocalType(type), type);
        }
    }

    @Test
    void aFutureChangeIsNeverSettled() throws Exception {
        FileIdentity id = stamped(100 * SECOND + 1, 100 * SECOND + 1);
        assertFalse(id.settledAt(99 * SECOND, tmp.resolve("f")));
    }

    @Test
    void aHardLinkMovesCtimeButNotContent() throws Exception {
        Path f = tmp.resolve("libx.so");
        Files.writeString(f, "x");
        FileIdentity before = FileIdentity.of(f).orElseThrow();
        Files.createLink(tmp.resolve("uplifted.so"), f);
        FileIdentity after = FileIdentity.of(f).orElseThrow();
        assertTrue(before.sameContentAs(after));
        assertTrue(after.ctimeNanos() >= before.ctimeNanos(), "a new link never moves the ctime back");
    }
}
