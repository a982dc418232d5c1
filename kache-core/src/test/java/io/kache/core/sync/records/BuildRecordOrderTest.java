package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.api.ArtifactKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A record keeps the order its build used its entries (a fresh runner's prefetch fetches them so,
 * about as cargo asks for them); a set without an order of its own is sorted, so equal records
 * encode to equal bytes.
 */
class BuildRecordOrderTest {

    private static final BuildIdentity ID = new BuildIdentity("tc", "host", "debug", "none", "lock", "members");

    private static ArtifactKey key(String crate, char c) {
        return new ArtifactKey(crate, String.valueOf(c).repeat(64));
    }

    @Test
    void theBuildsOrderSurvivesEncodingAndDecoding() throws Exception {
        LinkedHashSet<ArtifactKey> used = new LinkedHashSet<>(List.of(key("derive_helper", 'a'), key("c0", 'b'),
                key("c10", 'c'), key("c2", 'd'), key("app", 'e')));
        BuildRecord decoded = BuildRecord.decode(new BuildRecord(1, "b", ID, used).encode());
        assertEquals(new ArrayList<>(used), new ArrayList<>(decoded.entries()));
    }

    @Test
    void aSetWithoutAnOrderIsSortedByName() {
        HashSet<ArtifactKey> a = new HashSet<>(List.of(key("zeta", 'a'), key("alpha", 'b'), key("mid", 'c')));
        BuildRecord r = new BuildRecord(1, "b", ID, a);
        assertEquals(List.of("alpha", "mid", "zeta"), r.entries().stream().map(ArtifactKey::crateName).toList());
        assertArrayEquals(r.encode(), new BuildRecord(1, "b", ID, new HashSet<>(a)).encode());
    }
}
