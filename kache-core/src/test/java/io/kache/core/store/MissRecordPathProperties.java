package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.rustc.CargoUnit;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Each unit of a crate has its own latest-miss file, directly in {@code why/}, whatever its package's name. */
class MissRecordPathProperties {

    private final StoreLayout layout = new StoreLayout(Path.of("/store"));

    @Property
    void twoUnitsShareAMissFileOnlyWhenTheyAreTheSameUnit(@ForAll("names") String pkgA, @ForAll("kinds") String kindA,
                                                         @ForAll("names") String pkgB, @ForAll("kinds") String kindB) {
        CargoUnit a = new CargoUnit(pkgA, kindA);
        CargoUnit b = new CargoUnit(pkgB, kindB);
        Path fa = layout.lastMiss("build_script_build", a);
        Path fb = layout.lastMiss("build_script_build", b);
        assertEquals(a.equals(b), fa.equals(fb), fa + " / " + fb);
        assertEquals(layout.whyDir(), fa.getParent(), "in why/ itself: " + fa);
        assertEquals(true, fa.getFileName().toString().startsWith("build_script_build."), fa.toString());
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.of("app", "greet-lib", "greet_lib", "a.b", "a%2Eb", "-", "?", ".."),
                Arbitraries.strings().all().ofMaxLength(12), Arbitraries.of("\uD800", "\uDC00"));
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of("lib", "bin", "proc-macro", "build-script", "test", "-", "?");
    }
}
