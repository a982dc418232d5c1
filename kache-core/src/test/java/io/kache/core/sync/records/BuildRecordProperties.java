package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class BuildRecordProperties {

    private static final BuildIdentity ID = new BuildIdentity("0123456789abcdef", "host", "debug", "none",
            "fedcba9876543210", "00112233aabbccdd");

    @Property
    void aRecordReadsBackAsWritten(@ForAll("keys") Set<ArtifactKey> keys, @ForAll("identities") BuildIdentity id)
            throws Exception {
        BuildRecord r = new BuildRecord(1_765_000_000_000L, "42-17", id, keys);
        assertEquals(r, BuildRecord.decode(r.encode()));
    }

    @Property
    void aTruncatedRecordIsRefused(@ForAll("keys") Set<ArtifactKey> keys) {
        byte[] whole = new BuildRecord(1, "b", ID, keys).encode();
        for (int cut : new int[] {0, 1, whole.length / 2, whole.length - 1}) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            assertThrows(BuildRecord.InvalidRecordException.class, () -> BuildRecord.decode(part));
        }
    }

    @Property
    void slotsAreRecordNamesThatNeverParseAsEntries(@ForAll("identities") BuildIdentity id,
                                                    @ForAll("prefixes") String prefix) {
        ArtifactLayout layout = ArtifactLayout.withPrefix(prefix);
        for (String slot : new String[] {id.exactSlot(), id.lineSlot()}) {
            String name = layout.recordName(slot);
            assertTrue(name.startsWith(layout.rootPrefix() + ArtifactLayout.RECORDS + "/"));
            assertFalse(layout.parse(name).isPresent(), name);
            // Nor does anything under the records directory, whatever its suffix.
            assertFalse(layout.parse(layout.rootPrefix() + ArtifactLayout.RECORDS + "/" + slot.substring(0, 16)
                    + ArtifactLayout.SUFFIX).isPresent());
        }
        assertFalse(ArtifactKey.isValidCrateName(ArtifactLayout.RECORDS), "no crate can list the records directory");
        assertFalse(id.exactSlot().equals(id.lineSlot()));
    }

    @Example
    void hostileRecordsAreRefusedWhole() {
        String[] hostile = {
            "[]", "null", "{}", "{\"format\":\"kache-build-record-2\"}",
            record("\"../../etc/passwd\""),
            record("\"serde/" + "0".repeat(64) + "/../x\""),
            record("\"serde/" + "0".repeat(63) + "\""),
            record("\"ser de/" + "0".repeat(64) + "\""),
            record("\"/serde/" + "0".repeat(64) + "\""),
            record("\"serde\\\\" + "0".repeat(64) + "\""),
            record("\"serde/" + "A".repeat(64) + "\""),
            record("\"serde/" + "0".repeat(64) + "\u0000\""),
            record("42"),
            record("\"serde/" + "0".repeat(64) + "\"") + "trailing",
        };
        for (String h : hostile) {
            assertThrows(BuildRecord.InvalidRecordException.class,
                    () -> BuildRecord.decode(h.getBytes(StandardCharsets.UTF_8)), h);
        }
        byte[] huge = new byte[BuildRecord.MAX_BYTES + 1];
        assertThrows(BuildRecord.InvalidRecordException.class, () -> BuildRecord.decode(huge));
        String many = record(java.util.stream.IntStream.range(0, BuildRecord.MAX_ENTRIES + 1)
                .mapToObj(i -> "\"c/" + String.format("%064x", i) + "\"").collect(Collectors.joining(",")));
        assertThrows(BuildRecord.InvalidRecordException.class,
                () -> BuildRecord.decode(many.getBytes(StandardCharsets.UTF_8)));
    }

    @Example
    void aWellFormedHandWrittenRecordIsRead() throws Exception {
        BuildRecord r = BuildRecord.decode(record("\"serde/" + "0".repeat(64) + "\"").getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of(new ArtifactKey("serde", "0".repeat(64))), r.entries());
    }

    private static String record(String entries) {
        return "{\"format\":\"kache-build-record-1\",\"created\":1,\"build\":\"b\",\"identity\":{\"toolchain\":\"t\","
                + "\"target\":\"host\",\"profile\":\"debug\",\"rustflags\":\"none\",\"lock\":\"l\",\"members\":\"m\"},"
                + "\"entries\":[" + entries + "]}";
    }

    @Provide
    Arbitrary<Set<ArtifactKey>> keys() {
        Arbitrary<String> crate = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1)
                .ofMaxLength(20).filter(ArtifactKey::isValidCrateName);
        Arbitrary<String> key = Arbitraries.strings().withChars("0123456789abcdef".toCharArray()).ofLength(64);
        return Combinators.combine(crate, key).as(ArtifactKey::new).set().ofMaxSize(30);
    }

    @Provide
    Arbitrary<BuildIdentity> identities() {
        Arbitrary<String> s = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(30);
        return Combinators.combine(s, s, s, s, s, s).as(BuildIdentity::new);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("artifacts", "team/cache", "a", "kache-builds");
    }
}
