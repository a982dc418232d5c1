package io.kache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactKeyTest {

    private static final String KEY = "0123456789abcdef".repeat(4);

    @Test
    void acceptsCrateNamesAsRustcSeesThem() {
        for (String name : new String[] {"serde", "serde_json", "build_script_build", "_private", "A1", "x".repeat(128)}) {
            assertEquals(name, new ArtifactKey(name, KEY).crateName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "serde-json", "1abc", "../etc", "a/b", "a b", "é", "a.b"})
    void rejectsInvalidCrateNamesInsteadOfSanitizing(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ArtifactKey(name, KEY));
        assertTrue(e.getMessage().contains("crate name"), e.getMessage());
    }

    @Test
    void rejectsOverlongCrateNames() {
        assertThrows(IllegalArgumentException.class, () -> new ArtifactKey("x".repeat(129), KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void rejectsCacheKeysThatAreNotLowercaseHexOfTheFixedLength(String key) {
        assertThrows(IllegalArgumentException.class, () -> new ArtifactKey("serde", key));
    }
}
