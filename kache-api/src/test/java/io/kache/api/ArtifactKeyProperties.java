package io.kache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

class ArtifactKeyProperties {

    @Property
    void everyValidKeyRoundTripsThroughTheLayout(@ForAll("crates") String crate, @ForAll @StringLength(value = 64) String raw) {
        String hex = raw.chars().mapToObj(c -> Integer.toHexString(c & 0xf)).reduce("", String::concat);
        ArtifactKey key = new ArtifactKey(crate, hex);
        ArtifactLayout layout = ArtifactLayout.withPrefix("team/artifacts");
        assertEquals(key, layout.parse(layout.objectName(key)).orElseThrow());
    }

    @Provide
    Arbitrary<String> crates() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('_', '0', '9').ofMinLength(1)
                .ofMaxLength(40).filter(ArtifactKey::isValidCrateName);
    }
}
