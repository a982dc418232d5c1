package io.kache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.api.ArtifactKey;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys a store could be handed: invalid ones never get that far, because {@link ArtifactKey}
 * refuses them, and valid edge cases round-trip.
 */
abstract class KeyChecks extends CheckGroup {

    private static final String VALID_KEY = TestKeys.hex("valid");

    KeyChecks(Supplier<ContractFixture> fixture) {
        super(fixture);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc", "serde/json", "serde-json", "1serde", "serde json", "serde\u0000",
            "s\u00e9rde", "serde\\json", "."})
    void invalidCrateNamesAreRefused(String crateName) {
        assertThrows(IllegalArgumentException.class, () -> new ArtifactKey(crateName, VALID_KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "../../../../../../../../../../../../../../../../../../../../etc/pas",
            "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"})
    void invalidCacheKeysAreRefused(String cacheKey) {
        assertThrows(IllegalArgumentException.class, () -> new ArtifactKey("serde", cacheKey));
    }

    @ParameterizedTest
    @ValueSource(strings = {"_", "a", "Serde_Derive", "x0123456789_abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            + "_0123456789_abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWX"})
    void edgeCaseCrateNamesRoundTrip(String crateName) throws Exception {
        ArtifactKey key = new ArtifactKey(crateName, VALID_KEY);
        fixture().storeBytes(key, new byte[] {42});
        assertEquals(1, fixture().loadBytes(key).length);
        assertEquals(Set.of(key), fixture().listed(crateName));
    }

    @Test
    void crateNamesLongerThanTheLimitAreRefused() {
        String tooLong = "a".repeat(ArtifactKey.MAX_CRATE_NAME + 1);
        assertThrows(IllegalArgumentException.class, () -> new ArtifactKey(tooLong, VALID_KEY));
    }
}
