package io.kache.core.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.CorruptedEntryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Padding that decompresses to nothing is refused after at most {@link CompressedBound#SLACK} of
 * it, not read to its end; content that does not compress still passes.
 */
class CompressedBoundTest {

    /** 1 GiB of padding: read to its end, a test would take seconds and show it. */
    private static final long GIB_OF_FRAMES = 1024;
    /** What the reader may read beyond the pack itself: the slack, zstd's and the pipe's buffers. */
    private static final long READ_AT_MOST = 4L << 20;

    @Test
    void paddingAfterTheArchiveIsRefusedLongBeforeItsEnd() throws Exception {
        PaddedPack padded = PaddedPack.after(PackFixtures.pack(PackFixtures.sample(), 3), GIB_OF_FRAMES);
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class, () -> new PackReader(
                PackLimits.defaults()).read(padded, Optional.of(PackFixtures.KEY), "test pack",
                (f, in) -> in.transferTo(OutputStream.nullOutputStream())));
        assertTrue(e.getMessage().contains("corrupted pack test pack: compressed data runs ahead of its content"),
                e.getMessage());
        assertTrue(padded.bytesRead() < READ_AT_MOST, padded.bytesRead() + " of " + padded.length() + " bytes read");
    }

    @Test
    void paddingBeforeTheManifestIsRefusedLongBeforeItsEnd() throws Exception {
        PaddedPack padded = PaddedPack.before(PackFixtures.pack(PackFixtures.sample(), 3), GIB_OF_FRAMES);
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class, () -> new PackReader(
                PackLimits.defaults()).readManifest(padded, Optional.of(PackFixtures.KEY), "test pack"));
        assertTrue(e.getMessage().contains("corrupted pack test pack: compressed data runs ahead of its content"),
                e.getMessage());
        assertTrue(padded.bytesRead() < READ_AT_MOST, padded.bytesRead() + " of " + padded.length() + " bytes read");
    }

    @Test
    void aLittlePaddingIsTolerated() throws Exception {
        // Not a format kache writes, but harmless: the bound is about size, not about frames.
        byte[] pack = new HostilePacks().manifest(HostilePackTest.manifestOf("evil"))
                .file("files/evil", HostilePackTest.CONTENT, 0644).framesAfter(HostilePacks.skippableFrames(4)).build();
        assertArrayEquals(HostilePackTest.CONTENT, PackFixtures.unpack(pack).contents().get("evil"));
    }

    /** Raw blocks, the worst case of a real pack: each block larger than its content by its header. */
    @ParameterizedTest(name = "level {0}, {1} workers")
    @CsvSource({"1, 0", "1, 1", "3, 1"})
    void contentThatDoesNotCompressStillPasses(int level, int workers) throws Exception {
        Random random = new Random(level * 31L + workers);
        byte[] file = new byte[24 << 20];
        random.nextBytes(file);
        byte[] stdout = new byte[6 << 20];
        random.nextBytes(stdout);
        PackFixtures.Entry entry = PackFixtures.entry(PackFixtures.KEY, Map.of("deps/libnoise.rlib", file), Map.of(),
                stdout, null, Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PackWriter(level, workers).write(entry.manifest(), f -> new ByteArrayInputStream(file), out);
        byte[] pack = out.toByteArray();
        assertTrue(pack.length > file.length + stdout.length, "incompressible: " + pack.length);

        PackFixtures.Entry back = PackFixtures.unpack(pack);
        assertArrayEquals(file, back.contents().get("deps/libnoise.rlib"));
        assertEquals(entry.manifest(), new PackReader(PackLimits.defaults())
                .readManifest(new ByteArrayInputStream(pack), Optional.of(PackFixtures.KEY), "test pack"));
    }
}
