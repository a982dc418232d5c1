package io.kache.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ContentHashes#hasContent}, the store's check of a blob: a file whose identity moved without
 * its content (a hard link came and went, as cargo clean does to a restored rlib) is read through
 * its recorded CRC32C instead of SHA-256, and any write is still found.
 */
class ContentCheckTest {

    @TempDir
    Path tmp;

    private ContentHashes memo() {
        return ContentCheckTest.memo(tmp);
    }

    static ContentHashes memo(Path dir) {
        return ContentHashes.memoizedIn(dir.resolve("hashes"), dir.resolve("checksums"),
                () -> (System.currentTimeMillis() + 60_000) * 1_000_000L);
    }

    private Path blob(byte[] content) throws Exception {
        Path p = tmp.resolve("blob");
        Files.write(p, content);
        return p;
    }

    /** A blob of {@code size} bytes, written, with its bytes and its SHA-256. */
    private record Blob(Path file, byte[] bytes, String sha) {
    }

    private Blob written(int size) throws Exception {
        byte[] bytes = content(size);
        return new Blob(blob(bytes), bytes, Sha256.of(bytes));
    }

    private static byte[] content(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 7));
        }
        return b;
    }

    /** What cargo clean does to a restored rlib: a second link to the inode goes away, moving its ctime. */
    static void linkAndUnlink(Path file) throws Exception {
        Path link = file.resolveSibling(file.getFileName() + ".link");
        Files.createLink(link, file);
        Files.delete(link);
    }

    @Test
    void aFileWhoseLinkWentAwayIsReadThroughItsChecksumNotSha256() throws Exception {
        Blob b = written(300_000);
        Path f = b.file();
        String sha = b.sha();
        try (ContentHashes h = memo()) {
            h.record(f, sha);
            h.recordChecksum(sha, FileChecksum.of(f));
            assertTrue(h.hasContent(f, sha));
            assertEquals(0, h.filesHashed() + h.filesChecksummed(), "the memo answers while the identity holds");

            linkAndUnlink(f);
            assertTrue(h.hasContent(f, sha));
            assertEquals(0, h.filesHashed(), "no SHA-256 read");
            assertEquals(1, h.filesChecksummed());

            assertTrue(h.hasContent(f, sha));
            assertEquals(1, h.filesChecksummed(), "the new identity was memoized");
        }
    }

    @Test
    void withoutAKnownChecksumTheFileIsHashedOnceAndItsChecksumRecordedForTheNextProcess() throws Exception {
        Blob b = written(70_000);
        Path f = b.file();
        String sha = b.sha();
        try (ContentHashes h = memo()) {
            assertTrue(h.hasContent(f, sha));
            assertEquals(1, h.filesHashed());
        }
        linkAndUnlink(f);
        try (ContentHashes h = memo()) {
            assertTrue(h.hasContent(f, sha));
            assertEquals(0, h.filesHashed());
            assertEquals(1, h.filesChecksummed(), "the checksum table is shared like the memo");
        }
    }

    @Test
    void aByteChangedWithItsMtimePutBackIsFoundByTheChecksum() throws Exception {
        Blob b = written(200_000);
        Path f = b.file();
        String sha = b.sha();
        try (ContentHashes h = memo()) {
            h.record(f, sha);
            h.recordChecksum(sha, FileChecksum.of(f));
            FileTime mtime = Files.getLastModifiedTime(f);
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.seek(123_456);
                raf.write(b.bytes()[123_456] ^ 1);
            }
            Files.setLastModifiedTime(f, mtime);   // as strip -p or touch -r leaves it
            assertFalse(h.hasContent(f, sha));
            assertEquals(1, h.filesChecksummed());
            assertFalse(h.hasContent(f, sha), "and a wrong answer is never memoized");
        }
    }

    /** What cargo does to each output kache restores for a workspace member: a second link, kept. */
    static void uplift(Path file) throws Exception {
        Files.createLink(file.resolveSibling("uplifted-" + file.getFileName()), file);
    }

    @Test
    void aHashedFileThatCargoLinkedElsewhereIsHashedAgainThroughItsChecksum() throws Exception {
        Blob b = written(300_000);
        try (ContentHashes h = memo()) {
            assertEquals(b.sha(), h.sha256(b.file()));
            assertEquals(1, h.filesHashed());

            uplift(b.file());
            assertEquals(b.sha(), h.sha256(b.file()), "the same content");
            assertEquals(1, h.filesHashed(), "no second SHA-256 read");
            assertEquals(1, h.filesChecksummed(), "its checksum, recorded as it was hashed, was compared");

            assertEquals(b.sha(), h.sha256(b.file()));
            assertEquals(1, h.filesChecksummed(), "memoized under its new identity");
        }
    }

    @Test
    void aRestoredFileThatCargoLinkedElsewhereIsReadThroughTheBlobsChecksum() throws Exception {
        Blob b = written(200_000);
        try (ContentHashes h = memo()) {
            // What the restore does: the blob's checksum is the store's; the restored file is recorded.
            h.recordChecksum(b.sha(), FileChecksum.of(b.file()));
            h.record(b.file(), b.sha());
            uplift(b.file());
            assertEquals(b.sha(), h.sha256(b.file()));
            assertEquals(0, h.filesHashed());
            assertEquals(1, h.filesChecksummed());
        }
    }

    @Test
    void aWriteThatPutTheMtimeBackIsHashedAfresh() throws Exception {
        Blob b = written(100_000);
        try (ContentHashes h = memo()) {
            assertEquals(b.sha(), h.sha256(b.file()));
            FileTime mtime = Files.getLastModifiedTime(b.file());
            byte[] changed = b.bytes().clone();
            changed[77_777] ^= 0x10;
            Files.write(b.file(), changed);
            Files.setLastModifiedTime(b.file(), mtime);

            assertEquals(Sha256.of(changed), h.sha256(b.file()), "the new content's hash, not the remembered one");
            assertEquals(2, h.filesHashed());
        }
    }

    @Test
    void withoutTheContentsChecksumAFileWhoseCtimeMovedIsHashed() throws Exception {
        Blob b = written(50_000);
        try (ContentHashes h = memo()) {
            h.record(b.file(), b.sha());
            uplift(b.file());
            assertEquals(b.sha(), h.sha256(b.file()));
            assertEquals(1, h.filesHashed());
            assertEquals(0, h.filesChecksummed());
        }
    }

    @Test
    void aFileOfAnotherSizeFailsWithoutBeingRead() throws Exception {
        Blob b = written(50_000);
        Path f = b.file();
        String sha = b.sha();
        try (ContentHashes h = memo()) {
            h.recordChecksum(sha, new FileChecksum(50_000, FileChecksum.of(f).crc32c()));
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(49_999);
            }
            assertFalse(h.hasContent(f, sha));
            assertEquals(0, h.filesHashed() + h.filesChecksummed());
        }
    }

    @Test
    void otherContentIsNotTheNamedContentAndRecordsNoChecksumForThatName() throws Exception {
        Path f = blob(content(10_000));
        String other = Sha256.of(content(10_001));
        try (ContentHashes h = memo()) {
            assertFalse(h.hasContent(f, other));
            assertEquals(1, h.filesHashed());
            linkAndUnlink(f);
            assertFalse(h.hasContent(f, other));
            assertEquals(2, h.filesHashed(), "no checksum was recorded for a name the bytes do not have");
            assertEquals(0, h.filesChecksummed());
        }
    }

    @Test
    void aTornChecksumRecordReadsAsUnknownAndTheFileIsHashed() throws Exception {
        Blob b = written(20_000);
        Path f = b.file();
        String sha = b.sha();
        try (ContentHashes h = memo()) {
            h.recordChecksum(sha, FileChecksum.of(f));
        }
        Path table = tmp.resolve("checksums");
        byte[] raw = Files.readAllBytes(table);
        for (int i = raw.length - 1; i >= 0; i--) {
            if (raw[i] != 0) {
                raw[i] ^= 0x55;
                break;
            }
        }
        Files.write(table, raw);
        try (ContentHashes h = memo()) {
            assertTrue(h.hasContent(f, sha));
            assertEquals(1, h.filesHashed());
            assertEquals(0, h.filesChecksummed());
        }
    }

    @Test
    void aMissingFileIsNoSuchFile() throws Exception {
        try (ContentHashes h = memo()) {
            assertThrows(NoSuchFileException.class, () -> h.hasContent(tmp.resolve("gone"), Sha256.of(new byte[1])));
        }
    }

    @Test
    void withoutTablesTheFileIsHashedEveryTime() throws Exception {
        byte[] bytes = content(1_000);
        Path f = blob(bytes);
        ContentHashes h = ContentHashes.unmemoized();
        h.recordChecksum(Sha256.of(bytes), FileChecksum.of(f));
        assertTrue(h.hasContent(f, Sha256.of(bytes)));
        assertTrue(h.hasContent(f, Sha256.of(bytes)));
        assertEquals(2, h.filesHashed());
    }

    @Test
    void theChecksumOfAFileIsTheChecksumOfItsBytes() throws Exception {
        byte[] bytes = content(600_000);
        Path f = blob(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        assertEquals(new FileChecksum(bytes.length, (int) crc.getValue()), FileChecksum.of(f));
        MessageDigest d = Sha256.newDigest();
        assertEquals(new FileChecksum(bytes.length, (int) crc.getValue()), FileChecksum.of(f, d));
        assertEquals(Sha256.of(bytes), Sha256.hex(d));
    }
}
