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
                                                  @ForAll @LongRange(min = 0) long millis,
                                                  @ForAll("text") String pkg, @ForAll boolean clippy) {
        BuildEvent e = new BuildEvent(millis, "123-456", new WorkspaceSide(dir, "debug", "host", "abc", "none"),
                crate, "lib", "-", outcome, reason, 17, 99, 1, 0, "default", pkg, clippy);
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
        String withoutClippy = line.substring(0, line.lastIndexOf('\t'));
        String withoutPackage = withoutClippy.substring(0, withoutClippy.lastIndexOf('\t'));
        String old = withoutPackage.substring(0, withoutPackage.lastIndexOf('\t'));
        BuildEvent before = BuildEvent.parse(old).orElseThrow();
        assertEquals(java.util.Optional.empty(), before.featureSet());
        assertEquals(e.crate(), before.crate());
    }

    @net.jqwik.api.Example
    void aLineWrittenBeforeThePackageWasNotedStillReadsWithItUnknown() {
        // As the previous kache wrote it: 18 fields, the features last.
        String old = "k1\t1\tb\t/t\tdebug\thost\t-\tnone\tbuild_script_build\tbuild-script\t-\thit\t\t0\t0\t0\t0\t-";
        BuildEvent before = BuildEvent.parse(old).orElseThrow();
        assertEquals("build_script_build", before.crate());
        assertEquals(io.kache.core.rustc.CargoUnit.UNKNOWN, before.packageName());
        assertEquals(io.kache.core.rustc.CargoUnit.UNKNOWN_UNIT.packageName(), before.unit().packageName());
        assertEquals("build-script", before.unit().kind());
        BuildEvent now = new BuildEvent(1, "b", new WorkspaceSide("/t", "debug", "host", "-", "none"),
                "build_script_build", "build-script", "-", BuildEvent.Outcome.HIT, "", 0, 0, 0, 0, "-", "greet-lib");
        assertEquals("greet-lib", BuildEvent.parse(now.encode().strip()).orElseThrow().packageName());
    }

    @net.jqwik.api.Example
    void aLineWrittenBeforeClippyDriverWasNotedStillReadsAsACallWithoutIt() {
        // As the previous kache wrote it: 19 fields, the package last.
        String old = "k1\t1\tb\t/t\tdebug\thost\t-\tnone\tcore_lib\tlib\tabc\thit\t\t0\t0\t0\t0\t-\tcore-lib";
        BuildEvent before = BuildEvent.parse(old).orElseThrow();
        assertEquals("core-lib", before.packageName());
        assertEquals(false, before.clippy());
        BuildEvent now = new BuildEvent(1, "b", new WorkspaceSide("/t", "debug", "host", "-", "none"),
                "core_lib", "lib", "abc", BuildEvent.Outcome.HIT, "", 0, 0, 0, 0, "-", "core-lib", true);
        assertTrue(BuildEvent.parse(now.encode().strip()).orElseThrow().clippy());
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40);
    }
}
