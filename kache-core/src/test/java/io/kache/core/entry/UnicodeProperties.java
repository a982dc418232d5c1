package io.kache.core.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class UnicodeProperties {

    @Property(tries = 2000)
    void answersAsTheUtf8EncoderDoes(@ForAll("textWithSurrogates") String s) {
        assertEquals(StandardCharsets.UTF_8.newEncoder().canEncode(s), Unicode.isWellFormed(s), s.chars()
                .mapToObj(Integer::toHexString).toList().toString());
    }

    @Example
    void loneHalvesOfAPairAreRefusedAndPairsAccepted() {
        assertTrue(Unicode.isWellFormed("crab \uD83E\uDD80"));
        assertFalse(Unicode.isWellFormed("\uD83E"));
        assertFalse(Unicode.isWellFormed("\uDD80\uD83E"));
        assertFalse(Unicode.isWellFormed("a\uD83Eb"));
    }

    /** Short strings over a few characters, surrogate halves among them, so that every arrangement comes up. */
    @Provide
    Arbitrary<String> textWithSurrogates() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars('a', 'é', '\uD800', '\uDBFF', '\uDC00', '\uDFFF').ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(30));
    }
}
