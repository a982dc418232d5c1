package io.kache.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class BuildEventProperties {

    @Property
    void aLineReadsBackAsTheEventItWasWrittenFrom(@ForAll("text") String crate, @ForAll("text") String reason,
                                                  @ForAll("text") String dir, @ForAll BuildEvent.Outcome outcome,
                                                  @ForAll @LongRange(min = 0) long millis) {
        BuildEvent e = new BuildEvent(millis, "123-456", new WorkspaceSide(dir, "debug", "host", "abc", "none"),
                crate, "lib", "-", outcome, reason, 17, 99, 1, 0);
        String line = e.encode();
        assertEquals(1, line.chars().filter(c -> c == '\n').count(), "one line per event whatever the values");
        assertEquals(e, BuildEvent.parse(line.substring(0, line.length() - 1)).orElseThrow());
    }

    @Property
    void aTornOrForeignLineIsSkipped(@ForAll("text") String junk) {
        BuildEvent e = new BuildEvent(1, "b", new WorkspaceSide("/t", "debug", "host", "-", "none"), "c", "lib", "-",
                BuildEvent.Outcome.HIT, "", 0, 0, 0, 0);
        String line = e.encode();
        assertTrue(BuildEvent.parse(line.substring(0, line.length() / 2)).isEmpty());
        assertTrue(BuildEvent.parse("k0" + line.substring(2, line.length() - 1)).isEmpty());
        BuildEvent.parse(junk); // never throws
    }

    @net.jqwik.api.Example
    void aLineWrittenBeforeFeaturesWereNotedStillReadsWithThemUnknown() {
        BuildEvent e = new BuildEvent(1, "b", new WorkspaceSide("/t", "debug", "host", "-", "none"), "c", "lib", "-",
                BuildEvent.Outcome.HIT, "", 0, 0, 0, 0, "default,shout");
        String line = e.encode();
        BuildEvent back = BuildEvent.parse(line.substring(0, line.length() - 1)).orElseThrow();
        assertEquals(java.util.Optional.of(java.util.Set.of("default", "shout")), back.featureSet());
        String old = line.substring(0, line.lastIndexOf('\t'));
        BuildEvent before = BuildEvent.parse(old).orElseThrow();
        assertEquals(java.util.Optional.empty(), before.featureSet());
        assertEquals(e.crate(), before.crate());
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40);
    }
}
