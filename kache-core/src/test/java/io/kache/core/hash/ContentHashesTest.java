package io.kache.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashesTest {

    @TempDir
    Path tmp;

    Path oldFile(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** A memo whose clock runs a minute ahead: every file looks older than the racy window. */
    static ContentHashes later(Path table) {
        return ContentHashes.memoizedIn(table, table.resolveSibling(table.getFileName() + ".sums"),
                () -> (System.currentTimeMillis() + 60_000) * 1_000_000L);
    }

    @Test
    void unchangedFileIsHashedOnceAcrossInstances() throws Exception {
        Path f = oldFile("a.rs", "fn main() {}");
        Path table = tmp.resolve("hashes");
        try (ContentHashes h = later(table)) {
            assertEquals(Sha256.of(f), h.sha256(f));
            assertEquals(1, h.filesHashed());
            h.sha256(f);
            assertEquals(1, h.filesHashed());
        }
        try (ContentHashes fresh = later(table)) {
            assertEquals(Sha256.of(f), fresh.sha256(f));
            assertEquals(0, fresh.filesHashed(), "a new process reuses the memo");
        }
    }

    @Test
    void changedFileIsHashedAgain() throws Exception {
        Path f = oldFile("a.rs", "one");
        try (ContentHashes h = later(tmp.resolve("hashes"))) {
            String first = h.sha256(f);
            Files.writeString(f, "two");
            String second = h.sha256(f);
            assertNotEquals(first, second);
            assertEquals(Sha256.of("two".getBytes(StandardCharsets.UTF_8)), second);
        }
    }

    @Test
    void sameSizeRewriteWithOldMtimeStillDetectedByCtime() throws Exception {
        Path f = oldFile("a.rs", "aaaa");
        try (ContentHashes h = later(tmp.resolve("hashes"))) {
            h.sha256(f);
            FileTime mtime = Files.getLastModifiedTime(f);
            Files.writeString(f, "bbbb");
            // Someone restores the mtime (cp -p, an editor): ctime still moves.
            Files.setLastModifiedTime(f, mtime);
            assertEquals(Sha256.of("bbbb".getBytes(StandardCharsets.UTF_8)), h.sha256(f));
        }
    }

    @Test
    void recentlyChangedFilesAreNotMemoized() throws Exception {
        Path f = tmp.resolve("fresh.rs");
        Files.writeString(f, "x");
        try (ContentHashes h = ContentHashes.memoizedIn(tmp.resolve("hashes"), tmp.resolve("sums"))) {
            h.sha256(f);
            h.sha256(f);
            assertEquals(2, h.filesHashed(), "inside the racy window every call reads the file");
        }
    }

    /**
     * cargo hard-links each output it uplifts, right after kache restored it: the ctime moves, so the
     * next call reads the file again, but once the file system's fine racy window has passed that
     * read is remembered, not repeated by every later call of the build.
     */
    @Test
    void aFileWhoseLinkCountChangedIsMemoizedAgainOnceTheFineWindowPassed() throws Exception {
        Path f = tmp.resolve("libderive_helper.so");
        Files.writeString(f, "proc-macro");
        Files.createLink(tmp.resolve("uplifted.so"), f);
        FileIdentity id = FileIdentity.of(f).orElseThrow();
        long[] now = {id.lastChangeNanos() + id.racyWindowNanos(f) / 2};
        try (ContentHashes h = ContentHashes.memoizedIn(tmp.resolve("hashes"), tmp.resolve("sums"), () -> now[0])) {
            h.sha256(f);
            h.sha256(f);
            assertEquals(2, h.filesHashed(), "inside the window every call reads the file");
            now[0] = id.lastChangeNanos() + id.racyWindowNanos(f) + 1;
            h.sha256(f);
            h.sha256(f);
            assertEquals(3, h.filesHashed(), "past the window one more read, then the memo");
        }
    }

    @Test
    void recordedHashIsTrustedWithoutReading() throws Exception {
        Path f = tmp.resolve("restored.rlib");
        Files.writeString(f, "content");
        try (ContentHashes h = later(tmp.resolve("hashes"))) {
            h.record(f, Sha256.of(f));
            assertEquals(Sha256.of(f), h.sha256(f));
            assertEquals(0, h.filesHashed());
        }
    }

    @Test
    void recordIfUnchangedIgnoresAFileThatChanged() throws Exception {
        Path f = oldFile("out.rlib", "v1");
        try (ContentHashes h = later(tmp.resolve("hashes"))) {
            Optional<FileIdentity> before = FileIdentity.of(f);
            Files.writeString(f, "v2");
            h.recordIfUnchanged(f, Sha256.of("v1".getBytes(StandardCharsets.UTF_8)), before);
            assertEquals(Sha256.of("v2".getBytes(StandardCharsets.UTF_8)), h.sha256(f));
        }
    }

    @Test
    void tornRecordsReadAsMisses() throws Exception {
        Path f = oldFile("a.rs", "content");
        Path table = tmp.resolve("hashes");
        try (ContentHashes h = later(table)) {
            h.sha256(f);
        }
        byte[] raw = Files.readAllBytes(table);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != 0) {
                raw[i] ^= 0x55;
                break;
            }
        }
        Files.write(table, raw);
        try (ContentHashes h = later(table)) {
            assertEquals(Sha256.of(f), h.sha256(f));
            assertEquals(1, h.filesHashed());
        }
    }

    @Test
    void unwritableTableStillHashes() throws Exception {
        Path f = oldFile("a.rs", "content");
        try (ContentHashes h = later(tmp.resolve("missing-dir/hashes"))) {
            assertEquals(Sha256.of(f), h.sha256(f));
        }
        assertEquals(Sha256.of(f), ContentHashes.unmemoized().sha256(f));
    }
}
