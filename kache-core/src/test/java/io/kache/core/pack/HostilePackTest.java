package io.kache.core.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A corpus of hostile and broken packs: each refused with a clear message, nothing left behind. */
public class HostilePackTest {

    public static final ArtifactKey KEY = PackFixtures.KEY;
    static final byte[] CONTENT = "payload".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    static EntryManifest manifestOf(String... names) {
        return new EntryManifest(KEY, Arrays.stream(names)
                .map(n -> new EntryFile(n, CONTENT.length, false, Sha256.of(CONTENT))).toList(),
                null, null, Map.of());
    }

    static byte[] valid() throws Exception {
        return new HostilePacks().manifest(manifestOf("evil")).file("files/evil", CONTENT, 0644).build();
    }

    public static Stream<Arguments> corpus() throws Exception {
        EntryManifest one = manifestOf("evil");
        byte[] good = valid();
        return Stream.of(
                Arguments.of("traversal in member name", new HostilePacks().manifest(one)
                        .file("files/../../outside/evil", CONTENT, 0644).build(), "where 'files/evil' was expected"),
                Arguments.of("traversal in manifest", new HostilePacks()
                        .manifestBytes(HostilePacks.patchManifest(manifestOf("xx/evil"), "xx/evil", "../evil"))
                        .file("files/../evil", CONTENT, 0644).build(), "'..' segment"),
                Arguments.of("absolute member name", new HostilePacks().manifest(one)
                        .file("/tmp/evil", CONTENT, 0644).build(), "member '/tmp/evil'"),
                Arguments.of("absolute name in manifest", new HostilePacks()
                        .manifestBytes(HostilePacks.patchManifest(manifestOf("xtmp/evil"), "xtmp/evil", "/tmp/evil"))
                        .build(), "absolute path"),
                Arguments.of("symlink to /etc", new HostilePacks().manifest(one)
                        .special("files/evil", HostilePacks.SYMLINK, "/etc").build(), "not a plain file"),
                Arguments.of("hard link", new HostilePacks().manifest(one)
                        .special("files/evil", HostilePacks.HARDLINK, "/etc/passwd").build(), "not a plain file"),
                Arguments.of("character device", new HostilePacks().manifest(one)
                        .special("files/evil", HostilePacks.CHAR_DEVICE, null).build(), "not a plain file"),
                Arguments.of("fifo", new HostilePacks().manifest(one)
                        .special("files/evil", HostilePacks.FIFO, null).build(), "not a plain file"),
                Arguments.of("directory member", new HostilePacks().manifest(one)
                        .special("files/evil/", HostilePacks.DIRECTORY, null).build(), "files/evil"),
                Arguments.of("member larger than declared", new HostilePacks().manifest(one)
                        .file("files/evil", "payload and more".getBytes(StandardCharsets.UTF_8), 0644).build(),
                        "manifest says 7"),
                Arguments.of("setuid mode", new HostilePacks().manifest(one).file("files/evil", CONTENT, 04755).build(),
                        "has mode"),
                Arguments.of("content does not match hash", new HostilePacks().manifest(one)
                        .file("files/evil", "PAYLOAD".getBytes(StandardCharsets.UTF_8), 0644).build(), "SHA-256"),
                Arguments.of("duplicate member", new HostilePacks().manifest(manifestOf("a", "b"))
                        .file("files/a", CONTENT, 0644).file("files/a", CONTENT, 0644).build(), "'files/b' was expected"),
                Arguments.of("file not in the manifest", new HostilePacks().manifest(one)
                        .file("files/evil", CONTENT, 0644).file("files/extra", CONTENT, 0644).build(),
                        "'files/extra' is not in the manifest"),
                Arguments.of("missing file", new HostilePacks().manifest(manifestOf("a", "b"))
                        .file("files/a", CONTENT, 0644).build(), "ends before file 'b'"),
                Arguments.of("manifest not first", new HostilePacks().file("files/evil", CONTENT, 0644)
                        .manifest(one).build(), "first member"),
                Arguments.of("garbage manifest", new HostilePacks().manifestBytes(new byte[100]).build(),
                        "checksum mismatch"),
                Arguments.of("zstd bomb: endless zeros after the archive", new HostilePacks().manifest(one)
                        .file("files/evil", CONTENT, 0644).zeroTail(64L << 20).build(), "expands beyond"),
                Arguments.of("skippable frames after the archive", new HostilePacks().manifest(one)
                        .file("files/evil", CONTENT, 0644).framesAfter(HostilePacks.skippableFrames(64)).build(),
                        "runs ahead of its content"),
                Arguments.of("skippable frames before the archive", new HostilePacks().manifest(one)
                        .file("files/evil", CONTENT, 0644).framesBefore(HostilePacks.skippableFrames(64)).build(),
                        "runs ahead of its content"),
                Arguments.of("empty zstd frames after the archive", new HostilePacks().manifest(one)
                        .file("files/evil", CONTENT, 0644).framesAfter(HostilePacks.emptyFrames(500_000)).build(),
                        "runs ahead of its content"),
                Arguments.of("empty blocks in a frame after the archive", new HostilePacks().manifest(one)
                        .file("files/evil", CONTENT, 0644).framesAfter(HostilePacks.emptyBlocks(1_500_000)).build(),
                        "runs ahead of its content"),
                Arguments.of("zstd window beyond 128 MiB", new HostilePacks().manifest(one)
                        .file("files/evil", CONTENT, 0644).windowLog(30).build(), "memory"),
                Arguments.of("truncated in the middle", Arrays.copyOf(good, good.length / 2), "corrupted pack"),
                Arguments.of("truncated trailer", Arrays.copyOf(good, good.length - 1), "corrupted pack"),
                Arguments.of("trailer missing", Arrays.copyOf(good, good.length - PackTrailer.LENGTH),
                        "integrity trailer"),
                Arguments.of("garbage after the pack", concat(good, new byte[] {1, 2, 3}), "corrupted pack"),
                Arguments.of("not zstd at all", "hello, not a pack".getBytes(StandardCharsets.UTF_8), "corrupted pack"),
                Arguments.of("empty input", new byte[0], "corrupted pack"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusedByTheReader(String name, byte[] pack, String expected) {
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class, () -> PackFixtures.unpack(pack));
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("test pack"), "message names the pack: " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void unpackingLeavesNothingBehind(String name, byte[] pack, String expected) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path target = work.resolve("entry");
        assertThrows(CorruptedEntryException.class, () -> new DirectoryUnpacker(PackLimits.defaults())
                .unpack(new ByteArrayInputStream(pack), Optional.of(KEY), name, target));
        try (Stream<Path> left = Files.walk(tmp)) {
            assertEquals(List.of(tmp, work), left.toList(), name);
        }
    }

    @Test
    void declaredTotalBeyondTheCapIsRefusedBeforeExtracting() throws Exception {
        byte[] pack = valid();
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                () -> PackFixtures.unpack(pack, new PackLimits(3)));
        assertTrue(e.getMessage().contains("more than the limit of 3"), e.getMessage());
    }

    @Test
    void packOfAnotherKeyIsRefused() throws Exception {
        ArtifactKey other = new ArtifactKey("other", KEY.cacheKey());
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                () -> new DirectoryUnpacker(PackLimits.defaults()).unpack(new ByteArrayInputStream(valid()),
                        Optional.of(other), "x", tmp.resolve("t")));
        assertTrue(e.getMessage().contains("expected other/"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("t")));
    }

    @Test
    void aValidCorpusPackIsAccepted() throws Exception {
        Path target = tmp.resolve("t");
        new DirectoryUnpacker(PackLimits.defaults()).unpack(new ByteArrayInputStream(valid()), Optional.of(KEY), "x",
                target);
        assertEquals("payload", Files.readString(target.resolve("evil")));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
