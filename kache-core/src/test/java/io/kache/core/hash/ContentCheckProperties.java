package io.kache.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever the content and wherever a write lands, a blob whose identity moved is still checked
 * in full: a run of up to four changed bytes, written with the mtime put back and the link count
 * moved as cargo clean moves it, is always found by the checksum (CRC32C finds every burst of up
 * to 32 bits), and unchanged content always passes without a SHA-256 read.
 */
class ContentCheckProperties {

    private static Path root;
    private static final AtomicInteger CASES = new AtomicInteger();

    @BeforeContainer
    static void createRoot() throws IOException {
        root = Files.createTempDirectory("kache-content-check-");
    }

    @AfterContainer
    static void deleteRoot() throws IOException {
        Files.deleteIfExists(root);
    }

    /** A write into a file: where, how many bytes, and what it XORs into them (never zero). */
    record Write(double where, int length, int mask) {
    }

    @Property(tries = 300)
    void anyRunOfChangedBytesIsFoundAndUnchangedContentPasses(@ForAll("contents") byte[] content,
                                                               @ForAll("writes") Write write) throws Exception {
        inCase(content, (h, f) -> {
            String sha = Sha256.of(content);
            assertTrue(h.hasContent(f, sha), "the first check hashes and records the checksum");
            ContentCheckTest.linkAndUnlink(f);
            assertTrue(h.hasContent(f, sha));
            assertEquals(1, h.filesHashed(), "the second read only the checksum");

            overwrite(f, content, write);
            ContentCheckTest.linkAndUnlink(f);
            assertFalse(h.hasContent(f, sha));
        });
    }

    /** The same for a file's hash ({@link ContentHashes#sha256}): a write with the mtime put back is never missed. */
    @Property(tries = 200)
    void aHashedFileWrittenWithItsMtimePutBackHashesToItsNewContent(@ForAll("contents") byte[] content,
                                                                    @ForAll("writes") Write write) throws Exception {
        inCase(content, (h, f) -> {
            assertEquals(Sha256.of(content), h.sha256(f));

            byte[] changed = overwrite(f, content, write);
            ContentCheckTest.linkAndUnlink(f);
            assertEquals(Sha256.of(changed), h.sha256(f));
            long hashed = h.filesHashed();
            ContentCheckTest.linkAndUnlink(f);
            assertEquals(Sha256.of(changed), h.sha256(f), "unchanged since: the same hash");
            assertEquals(hashed + (changed.length >= ContentHashes.CHECKSUM_WORTH_BYTES ? 0 : 1), h.filesHashed(),
                    "through its checksum when its size made it worth recording, else hashed again");
        });
    }

    /** What a case checks: the memo of its directory and its blob. */
    @FunctionalInterface
    interface Case {
        void check(ContentHashes hashes, Path blob) throws Exception;
    }

    /** Runs {@code check} on a blob holding {@code content} in a directory of its own, removed after. */
    private static void inCase(byte[] content, Case check) throws Exception {
        Path dir = Files.createDirectories(root.resolve("case-" + CASES.incrementAndGet()));
        try (ContentHashes h = ContentCheckTest.memo(dir)) {
            Path f = dir.resolve("blob");
            Files.write(f, content);
            check.check(h, f);
        } finally {
            for (String name : new String[] {"blob", "hashes", "checksums"}) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.delete(dir);
        }
    }

    /**
     * Writes {@code write} into {@code f} (which holds {@code content}) in place and puts its mtime
     * back, as {@code strip -p} or {@code touch -r} would; returns the new content. The first byte
     * written always changes: the write is never a no-op.
     */
    private static byte[] overwrite(Path f, byte[] content, Write write) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(f);
        byte[] changed = content.clone();
        int length = Math.min(write.length(), content.length);
        int at = (int) Math.min((long) (write.where() * content.length), content.length - length);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            for (int i = 0; i < length; i++) {
                changed[at + i] ^= (byte) (i == 0 ? write.mask() : write.mask() >>> 3);
                raf.seek(at + i);
                raf.write(changed[at + i]);
            }
        }
        Files.setLastModifiedTime(f, mtime);
        return changed;
    }

    @Provide
    Arbitrary<byte[]> contents() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(140_000);
    }

    @Provide
    Arbitrary<Write> writes() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 255)).as(Write::new);
    }
}
