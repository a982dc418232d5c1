package io.kache.core.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
