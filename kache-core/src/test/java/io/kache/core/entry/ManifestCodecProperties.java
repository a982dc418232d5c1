package io.kache.core.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(60)
                .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
        Arbitrary<Rendering> rendering = Combinators.combine(
                Arbitraries.strings().withChars("-=abcz, ").ofMinLength(1).ofMaxLength(30), text, text, text)
                .as(Rendering::new);
        Arbitrary<List<Rendering>> renderings = rendering.list().ofMaxSize(EntryManifest.MAX_RENDERINGS)
                .uniqueElements(Rendering::flags);
        return Combinators.combine(crate, key, files, bytes, bytes, attrs, renderings)
                .as((c, k, f, out, err, a, r) -> new EntryManifest(new ArtifactKey(c, k), f, out, err, a, r));
    }

    /**
     * Renderings are attributes to a reader that knows nothing of them (an older kache): the bytes are
     * those of a version-1 manifest whose attributes are the entry's and the renderings' together, which
     * such a reader decodes, keeps and re-encodes unchanged.
     */
    @Property(tries = 100)
    void renderingsAreAttributesToAnOlderReader(@ForAll("manifests") EntryManifest m) {
        Map<String, String> all = new java.util.TreeMap<>(m.attributes());
        for (int i = 0; i < m.renderings().size(); i++) {
            Rendering r = m.renderings().get(i);
            String p = EntryManifest.RESERVED_PREFIX + (i + 1) + ".";
            all.put(p + "flags", r.flags());
            all.put(p + "stdout", r.stdout());
            all.put(p + "stderr", r.stderr());
            all.put(p + "notifications", r.notifications());
        }
        assertArrayEquals(ManifestCodec.encode(m), raw(m.key(), m.files(), all, m.stdout(), m.stderr()));
    }

    @Example
    void aRenderingRoundTripsAndIsFoundByItsExactFlags() throws Exception {
        EntryManifest m = new EntryManifest(new ArtifactKey("warned", "ab".repeat(32)), List.of(), new byte[0],
                "warning: long".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of(EntryManifest.DIAGNOSTIC_FLAGS, "--error-format=json", EntryManifest.NOTIFICATIONS, "n\n"),
                List.of(new Rendering("--error-format=short", "", "warning: short", "")));
        EntryManifest back = ManifestCodec.decode(ManifestCodec.encode(m), "test");
        assertEquals(m, back);
        assertEquals("warning: long", back.renderedWith("--error-format=json").orElseThrow().stderr());
        assertEquals("n\n", back.renderedWith("--error-format=json").orElseThrow().notifications());
        assertEquals("warning: short", back.renderedWith("--error-format=short").orElseThrow().stderr());
        assertTrue(back.renderedWith("--error-format=human").isEmpty());
        assertEquals(Map.of(EntryManifest.DIAGNOSTIC_FLAGS, "--error-format=json", EntryManifest.NOTIFICATIONS, "n\n"),
                back.attributes(), "the renderings' attributes are not the entry's");
    }

    /**
     * Reserved attributes that are no well-formed renderings of this version (a newer kache's, or
     * hostile), with a right checksum: the entry reads without them, never as damaged, and serves only
     * its own rendering.
     */
    @Example
    void renderingAttributesThisVersionCannotReadAreIgnored() throws Exception {
        ArtifactKey key = new ArtifactKey("warned", "ab".repeat(32));
        String p = EntryManifest.RESERVED_PREFIX;
        List<Map<String, String>> hostile = List.of(
                rendering(Map.of(), 2, "b"), // a gap: no rendering 1
                Map.of(p + "1.flags", "b", p + "1.stdout", "", p + "1.stderr", "w"), // a field missing
                withOne(rendering(Map.of(), 1, "b"), p + "1.extra", "x"), // an unknown field
                withOne(rendering(Map.of(), 1, "b"), p + "2.flags", "c"),
                rendering(rendering(Map.of(), 1, "b"), 2, "b"), // the same flags twice
                rendering(Map.of(EntryManifest.DIAGNOSTIC_FLAGS, "b"), 1, "b"), // the entry's own flags
                rendering(rendering(rendering(rendering(rendering(Map.of(), 1, "a"), 2, "b"), 3, "c"), 4, "d"), 5, "e"),
                withOne(rendering(Map.of(), 1, "b"), p + "1.stderr", "w".repeat((int) EntryManifest.MAX_RENDERING_CHARS)));
        for (Map<String, String> attrs : hostile) {
            byte[] bytes = raw(key, List.of(), new java.util.TreeMap<>(attrs), new byte[0], new byte[] {'w'});
            EntryManifest read = ManifestCodec.decode(bytes, "test");
            assertEquals(List.of(), read.renderings(), attrs.keySet().toString());
            assertEquals("w", new String(read.stderr(), java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(read.attributes().keySet().stream().noneMatch(k -> k.startsWith(p)), attrs.keySet().toString());
        }
        // The same with well-formed renderings decodes.
        byte[] good = raw(key, List.of(), new java.util.TreeMap<>(rendering(rendering(Map.of(), 1, "a"), 2, "b")),
                new byte[0], new byte[] {'w'});
        assertDoesNotThrow(() -> ManifestCodec.decode(good, "test"));
    }

    private static Map<String, String> rendering(Map<String, String> attrs, int n, String flags) {
        Map<String, String> out = new java.util.HashMap<>(attrs);
        String p = EntryManifest.RESERVED_PREFIX + n + ".";
        out.put(p + "flags", flags);
        out.put(p + "stdout", "");
        out.put(p + "stderr", "w " + flags);
        out.put(p + "notifications", "");
        return out;
    }

    private static Map<String, String> withOne(Map<String, String> attrs, String name, String value) {
        Map<String, String> out = new java.util.HashMap<>(attrs);
        out.put(name, value);
        return out;
    }

    /** The manifest format written out by hand (version 1), attributes as given: what any reader of it sees. */
    private static byte[] raw(ArtifactKey key, List<EntryFile> files, Map<String, String> attrs, byte[] stdout,
                              byte[] stderr) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(b);
        try {
            out.write("KACHEENT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeInt(1);
            str(out, key.crateName());
            str(out, key.cacheKey());
            out.writeInt(files.size());
            for (EntryFile f : files) {
                str(out, f.name());
                out.writeLong(f.size());
                out.write(f.executable() ? 1 : 0);
                out.write(java.util.HexFormat.of().parseHex(f.sha256()));
            }
            out.writeInt(attrs.size());
            for (Map.Entry<String, String> e : attrs.entrySet()) {
                str(out, e.getKey());
                str(out, e.getValue());
            }
            out.writeInt(stdout.length);
            out.write(stdout);
            out.writeInt(stderr.length);
            out.write(stderr);
            CRC32C crc = new CRC32C();
            crc.update(b.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static void str(java.io.DataOutputStream out, String s) throws java.io.IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
