package io.kache.core.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EntryNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"libserde-1.rlib", "deps/libserde-1.rlib", "out/a b/c.rs", "é.txt", ".hidden", "a..b"})
    void acceptsRelativeNames(String name) {
        assertTrue(EntryNames.isValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../b", "a/./b", ".", "a//b", "a/", "a\\b", "a\u0000b",
        "a\nb", "\ud800"})
    void refusesNamesThatCouldEscapeOrConfuse(String name) {
        assertFalse(EntryNames.isValid(name));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryNames.check(name));
        assertTrue(e.getMessage().startsWith("invalid entry file name"), e.getMessage());
    }

    @Test
    void refusesOverlongNames() {
        assertFalse(EntryNames.isValid("a".repeat(EntryNames.MAX_NAME_BYTES + 1)));
        assertTrue(EntryNames.isValid("a".repeat(EntryNames.MAX_NAME_BYTES)));
    }

    @Test
    void entryFileValidatesItsHash() {
        assertThrows(IllegalArgumentException.class, () -> new EntryFile("a", 1, false, "ABC"));
        assertThrows(IllegalArgumentException.class, () -> new EntryFile("a", 1, false, "A".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> new EntryFile("a", -1, false, "a".repeat(64)));
    }

    @Test
    void manifestSortsFilesAndRefusesDuplicates() {
        ArtifactKey key = new ArtifactKey("x", "0".repeat(64));
        EntryFile b = new EntryFile("b", 1, false, "b".repeat(64));
        EntryFile a = new EntryFile("a", 1, false, "a".repeat(64));
        EntryManifest m = new EntryManifest(key, List.of(b, a), null, null, Map.of("z", "1", "a", "2"));
        assertEquals(List.of(a, b), m.files());
        assertEquals(List.of("a", "z"), List.copyOf(m.attributes().keySet()));
        assertEquals(0, m.stdout().length);
        assertThrows(IllegalArgumentException.class, () -> new EntryManifest(key, List.of(a, a), null, null, Map.of()));
    }

    @Test
    void manifestIsImmutable() {
        ArtifactKey key = new ArtifactKey("x", "0".repeat(64));
        byte[] out = {1, 2, 3};
        EntryManifest m = new EntryManifest(key, List.of(), out, null, Map.of());
        out[0] = 9;
        m.stdout()[1] = 9;
        assertEquals(1, m.stdout()[0]);
        assertEquals(2, m.stdout()[1]);
    }
}
