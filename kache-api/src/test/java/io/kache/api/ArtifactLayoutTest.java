package io.kache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactLayoutTest {

    private static final String KEY = "ab".repeat(32);

    @Test
    void namesObjectsUnderPrefixCrateAndKey() {
        ArtifactLayout layout = ArtifactLayout.withDefaultPrefix();
        assertEquals("artifacts/serde/" + KEY + ".tar.zst", layout.objectName(new ArtifactKey("serde", KEY)));
        assertEquals("artifacts/serde/", layout.cratePrefix("serde"));
        assertEquals("artifacts/", layout.rootPrefix());
    }

    @Test
    void trimsSurroundingSlashesFromThePrefix() {
        assertEquals("ci/cache", ArtifactLayout.withPrefix("/ci/cache/").prefix());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "a/../b", "./a", "a//b", "a\\b", "..", "a/.", "a\nb"})
    void refusesPrefixesThatCouldEscapeOrAlias(String prefix) {
        assertThrows(IllegalArgumentException.class, () -> ArtifactLayout.withPrefix(prefix));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "artifacts/serde/" + "ab" + ".tar.zst",
        "artifacts/serde/sub/" + "abababababababababababababababababababababababababababababababab" + ".tar.zst",
        "artifacts/../etc/" + "abababababababababababababababababababababababababababababababab" + ".tar.zst",
        "artifacts/serde-json/" + "abababababababababababababababababababababababababababababababab" + ".tar.zst",
        "other/serde/" + "abababababababababababababababababababababababababababababababab" + ".tar.zst",
        "artifacts/serde/" + "abababababababababababababababababababababababababababababababab" + ".tar.zst.tmp",
        "artifacts/serde/" + "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB" + ".tar.zst",
        "artifactsX/serde/" + "abababababababababababababababababababababababababababababababab" + ".tar.zst"})
    void parseRefusesAnythingButAValidEntryName(String name) {
        assertEquals(Optional.empty(), ArtifactLayout.withDefaultPrefix().parse(name));
    }

    @Test
    void cratePrefixRefusesInvalidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArtifactLayout.withDefaultPrefix().cratePrefix("../x"));
        assertTrue(e.getMessage().contains("../x"));
    }

    @Test
    void layoutsOfOnePrefixAreEqualSoSettingsLoadedTwiceAreEqual() {
        assertEquals(ArtifactLayout.withPrefix("/team/cache/"), ArtifactLayout.withPrefix("team/cache"));
        assertEquals(ArtifactLayout.withPrefix("a").hashCode(), ArtifactLayout.withPrefix("a").hashCode());
        assertEquals(ArtifactLayout.withDefaultPrefix(), ArtifactLayout.withPrefix(ArtifactLayout.DEFAULT_PREFIX));
        assertTrue(!ArtifactLayout.withPrefix("a").equals(ArtifactLayout.withPrefix("b")));
        // What the server keys its open remotes by: two calls' settings of one configuration.
        assertEquals(RemoteSettings.filesystem(java.nio.file.Path.of("/r")),
                RemoteSettings.filesystem(java.nio.file.Path.of("/r")));
    }
}
