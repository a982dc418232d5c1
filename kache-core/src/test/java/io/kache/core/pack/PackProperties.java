package io.kache.core.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.Rendering;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class PackProperties {

    @Property(tries = 60)
    void roundTripPreservesEveryByteAndMode(@ForAll("entries") PackFixtures.Entry entry) throws Exception {
        PackFixtures.Entry back = PackFixtures.unpack(PackFixtures.pack(entry, 3));
        assertEquals(entry.manifest(), back.manifest());
        for (EntryFile f : entry.manifest().files()) {
            assertArrayEquals(entry.contents().get(f.name()), back.contents().get(f.name()), f.name());
            assertEquals(f.executable(), back.manifest().file(f.name()).orElseThrow().executable());
        }
    }

    @Property(tries = 40)
    void packingIsDeterministic(@ForAll("entries") PackFixtures.Entry entry, @ForAll @IntRange(min = 1, max = 9) int level)
            throws Exception {
        byte[] first = PackFixtures.pack(entry, level);
        // Same entry, files offered in another order, packed again later: same bytes.
        Map<String, byte[]> reversed = new HashMap<>(entry.contents());
        Map<String, Boolean> exec = new HashMap<>();
        entry.manifest().files().forEach(f -> exec.put(f.name(), f.executable()));
        PackFixtures.Entry again = PackFixtures.entry(entry.manifest().key(), reversed, exec,
                entry.manifest().stdout(), entry.manifest().stderr(), entry.manifest().attributes(),
                entry.manifest().renderings());
        assertArrayEquals(first, PackFixtures.pack(again, level));
    }

    @Property(tries = 300)
    void anySingleByteCorruptionIsDetected(@ForAll("positions") double where, @ForAll @IntRange(min = 1, max = 255) int xor)
            throws Exception {
        byte[] pack = PackFixtures.pack(PackFixtures.sample(), 3);
        int i = Math.min(pack.length - 1, (int) (where * pack.length));
        pack[i] ^= (byte) xor;
        assertThrows(CorruptedEntryException.class, () -> PackFixtures.unpack(pack), "byte " + i + " ^ " + xor);
    }

    /** A pulled pack is stored without unpacking: the checked copy alone must catch what the reader would. */
    @Property(tries = 300)
    void theCheckedCopyPassesAPackUnchangedAndRefusesAnySingleByteCorruption(@ForAll("positions") double where,
            @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
        byte[] pack = PackFixtures.pack(PackFixtures.sample(), 3);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PackCopier.Copied copied = PackCopier.copy(new ByteArrayInputStream(pack), Channels.newChannel(copy),
                pack.length, "test pack");
        assertEquals(pack.length, copied.size());
        assertArrayEquals(pack, copy.toByteArray());
        assertArrayEquals(Arrays.copyOf(pack, Math.min(pack.length, PackCopier.HEAD)), copied.head());
        int i = Math.min(pack.length - 1, (int) (where * pack.length));
        pack[i] ^= (byte) xor;
        assertThrows(CorruptedEntryException.class, () -> PackCopier.copy(new ByteArrayInputStream(pack),
                Channels.newChannel(OutputStream.nullOutputStream()), pack.length, "test pack"), "byte " + i + " ^ " + xor);
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<PackFixtures.Entry> entries() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("abcxyz_-.0129é").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        Arbitrary<String> name = segment.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        Arbitrary<String> longName = Arbitraries.strings().withChars("abcdefgh").ofLength(150);
        Arbitrary<byte[]> content = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                Arbitraries.integers().between(0, 300_000).map(n -> {
                    byte[] b = new byte[n];
                    new java.util.Random(n).nextBytes(b);
                    return b;
                }));
        Arbitrary<Map<String, byte[]>> files = Arbitraries.maps(Arbitraries.oneOf(name, longName), content)
                .ofMaxSize(6)
                // A name may not also be a directory of another name on disk.
                .filter(m -> m.keySet().stream().noneMatch(a -> m.keySet().stream().anyMatch(b -> b.startsWith(a + "/"))));
        Arbitrary<byte[]> stream = Arbitraries.bytes().array(byte[].class).ofMaxSize(500);
        Arbitrary<Map<String, String>> attrs = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().ofMaxLength(30)).ofMaxSize(3);
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(80)
                .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        // Other renderings of the diagnostics, which a pack carries in its manifest.
        Arbitrary<List<Rendering>> renderings = Combinators.combine(
                Arbitraries.strings().withChars("-=abz ").ofMinLength(1).ofMaxLength(20), text, text, text)
                .as(Rendering::new).list().ofMaxSize(EntryManifest.MAX_RENDERINGS).uniqueElements(Rendering::flags);
        return Combinators.combine(files, stream, stream, attrs, Arbitraries.integers().between(0, 63), renderings)
                .as((f, out, err, a, execBits, r) -> {
                    Map<String, Boolean> exec = new HashMap<>();
                    List<String> names = f.keySet().stream().sorted().toList();
                    for (int i = 0; i < names.size(); i++) {
                        exec.put(names.get(i), (execBits >> i & 1) == 1);
                    }
                    return PackFixtures.entry(PackFixtures.KEY, f, exec, out, err, a, r);
                });
    }
}
