package io.kache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kache.api.ArtifactKey;
import io.kache.api.StoreException;
import io.kache.testkit.StoreCapabilities.Capability;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Listing: exactly one crate, every crate, many pages, and nothing that is not an entry. */
abstract class ListingChecks extends CheckGroup {

    /** Past the 1,000-key page of S3's ListObjectsV2, so a backend that ignores paging fails. */
    static final int MANY = 1_005;

    ListingChecks(Supplier<ContractFixture> fixture) {
        super(fixture);
    }

    @Test
    void listOfAnUnknownCrateIsEmpty() throws Exception {
        fixture().storeBytes(TestKeys.key("serde", 0), new byte[] {1});
        assertEquals(Set.of(), fixture().listed("rand"));
    }

    @Test
    void listReturnsExactlyTheKeysOfOneCrate() throws Exception {
        Set<ArtifactKey> serde = Set.of(TestKeys.key("serde", 0), TestKeys.key("serde", 1), TestKeys.key("serde", 2));
        for (ArtifactKey key : serde) {
            fixture().storeBytes(key, new byte[] {1});
        }
        fixture().storeBytes(TestKeys.key("tokio", 0), new byte[] {2});
        assertEquals(serde, fixture().listed("serde"));
    }

    @Test
    void listDoesNotBleedIntoLongerCrateNames() throws Exception {
        ArtifactKey serde = TestKeys.key("serde", 0);
        ArtifactKey serdeJson = TestKeys.key("serde_json", 0);
        ArtifactKey serdeDerive = TestKeys.key("serde_derive", 0);
        for (ArtifactKey key : List.of(serde, serdeJson, serdeDerive)) {
            fixture().storeBytes(key, new byte[] {3});
        }
        assertEquals(Set.of(serde), fixture().listed("serde"), "list(serde)");
        assertEquals(Set.of(serdeJson), fixture().listed("serde_json"), "list(serde_json)");
        assertEquals(Set.of(), fixture().listed("serd"), "list(serd)");
    }

    @Test
    void listAllReturnsEveryCrate() throws Exception {
        Set<ArtifactKey> all = Set.of(TestKeys.key("serde", 0), TestKeys.key("serde_json", 0),
                TestKeys.key("tokio", 0), TestKeys.key("tokio", 1));
        for (ArtifactKey key : all) {
            fixture().storeBytes(key, new byte[] {4});
        }
        assertEquals(all, fixture().listedAll());
    }

    @Test
    void listRefusesAnInvalidCrateName() throws Exception {
        fixture().storeBytes(TestKeys.key("serde", 0), new byte[] {5});
        for (String bad : List.of("../serde", "serde/..", "serde-json", "", "1serde")) {
            try (Stream<ArtifactKey> keys = fixture().store().list(bad)) {
                fail("list('" + bad + "') returned a stream instead of refusing: " + keys.limit(3).toList());
            } catch (IllegalArgumentException | StoreException expected) {
                // Either is a refusal; what matters is that the name never reached a path or a LIST.
            }
        }
    }

    @Test
    void listPagesPastOneThousandEntries() throws Exception {
        fixture().capabilities().assume(Capability.MANY_ENTRIES);
        Set<ArtifactKey> expected = new HashSet<>();
        for (int i = 0; i < MANY; i++) {
            expected.add(TestKeys.key("many", i));
        }
        storeAll(expected);
        fixture().storeBytes(TestKeys.key("many_more", 0), new byte[] {6});
        assertEquals(expected, fixture().listed("many"), "list(many)");
        assertEquals(MANY + 1, fixture().listedAll().size(), "listAll size");
    }

    @Test
    void listIgnoresForeignObjectsUnderThePrefix() throws Exception {
        fixture().capabilities().assume(Capability.FOREIGN_OBJECTS);
        ArtifactKey real = TestKeys.key("serde", 0);
        fixture().storeBytes(real, new byte[] {7});
        String key = real.cacheKey();
        for (String name : List.of("serde/README.md", "serde/" + key + ".tar.zst.tmp",
                "serde/" + key.substring(1) + ".tar.zst", "serde/" + key.toUpperCase() + ".tar.zst",
                "serde/nested/" + TestKeys.hex("nested") + ".tar.zst", "serde-json/" + TestKeys.hex("dash") + ".tar.zst",
                TestKeys.hex("top") + ".tar.zst", "notes.txt")) {
            fixture().putForeign(name, new byte[] {8});
        }
        assertEquals(Set.of(real), fixture().listed("serde"), "list(serde) with foreign objects");
        assertEquals(Set.of(real), fixture().listedAll(), "listAll with foreign objects");
    }

    /** Stores small entries from a few threads: a thousand sequential round trips to a server is slow. */
    private void storeAll(Set<ArtifactKey> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> pending = keys.stream()
                    .map(key -> pool.<Object>submit(() -> {
                        fixture().storeBytes(key, key.cacheKey().getBytes(StandardCharsets.US_ASCII));
                        return null;
                    }))
                    .toList();
            Deadline deadline = Deadline.in(Duration.ofMinutes(2));
            for (Future<Object> f : pending) {
                f.get(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
