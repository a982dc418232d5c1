package io.kache.core.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ManifestCodecProperties {

    @Property(tries = 200)
    void decodeInvertsEncode(@ForAll("manifests") EntryManifest m) throws Exception {
        byte[] bytes = ManifestCodec.encode(m);
        assertEquals(m, ManifestCodec.decode(bytes, "test"));
        assertArrayEquals(bytes, ManifestCodec.encode(ManifestCodec.decode(bytes, "test")));
    }

    @Property(tries = 300)
    void anyChangedByteIsDetected(@ForAll("manifests") EntryManifest m, @ForAll @IntRange(min = 0, max = 100000) int at,
                                  @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] bytes = ManifestCodec.encode(m);
        bytes[at % bytes.length] ^= (byte) xor;
        assertThrows(CorruptedEntryException.class, () -> ManifestCodec.decode(bytes, "test"));
    }

    @Property(tries = 100)
    void anyTruncationIsDetected(@ForAll("manifests") EntryManifest m, @ForAll @IntRange(min = 0, max = 100000) int cut) {
        byte[] bytes = ManifestCodec.encode(m);
        byte[] shorter = Arrays.copyOf(bytes, cut % bytes.length);
        assertThrows(CorruptedEntryException.class, () -> ManifestCodec.decode(shorter, "test"));
    }

    /** The decoder's ASCII shortcut must not let malformed UTF-8 through: only the checksum is right here. */
    @Example
    void malformedUtf8WithAValidChecksumIsRefused() {
        EntryManifest m = new EntryManifest(new ArtifactKey("serde", "ab".repeat(32)), List.of(), new byte[0],
                new byte[0], Map.of("note", "caf\u00e9"));
        byte[] bytes = ManifestCodec.encode(m);
        int at = indexOf(bytes, new byte[] {(byte) 0xc3, (byte) 0xa9});
        bytes[at + 1] = '(';
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class, () -> ManifestCodec.decode(bytes, "test"));
        assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Provide
    Arbitrary<EntryManifest> manifests() {
        Arbitrary<String> crate = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> key = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        Arbitrary<EntryFile> file = Combinators.combine(
                Arbitraries.strings().withChars("abcé/_-.").ofMinLength(1).ofMaxLength(40).filter(EntryNames::isValid),
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(true, false), key)
                .as(EntryFile::new);
        Arbitrary<List<EntryFile>> files = file.list().ofMaxSize(8).uniqueElements(EntryFile::name);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<Map<String, String>> attrs = Arbitraries.maps(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10), Arbitraries.strings().ofMaxLength(40)
                        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)))).ofMaxSize(4);
        return Combinators.combine(crate, key, files, bytes, bytes, attrs)
                .as((c, k, f, out, err, a) -> new EntryManifest(new ArtifactKey(c, k), f, out, err, a));
    }
}
