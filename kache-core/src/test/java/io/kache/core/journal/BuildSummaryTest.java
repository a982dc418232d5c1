package io.kache.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.rustc.CargoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kache report's rows: one per crate of one package and kind, never two packages' calls added together. */
class BuildSummaryTest {

    @Test
    void twoPackagesBuildScriptsAreTwoRows() {
        BuildSummary s = BuildSummary.of(List.of(
                event("build_script_build", "build-script", "app", BuildEvent.Outcome.HIT, 100),
                event("build_script_build", "build-script", "greet-lib", BuildEvent.Outcome.STORED, 300),
                event("app", "bin", "app", BuildEvent.Outcome.HIT, 50)));
        assertEquals(List.of("app/app/bin [hit] 50", "build_script_build/app/build-script [hit] 100",
                        "build_script_build/greet-lib/build-script [stored] 300"),
                s.crates().stream().map(c -> c.crate() + "/" + c.packageName() + "/" + c.kind() + " " + c.outcomes()
                        + " " + c.millis()).toList());
        assertEquals(java.util.Optional.of("greet-lib"), s.crates().get(2).knownPackage());
    }

    @Test
    void aLineOfThePreviousKacheIsARowOfAnUnknownPackage() {
        BuildSummary s = BuildSummary.of(List.of(
                event("build_script_build", "build-script", CargoUnit.UNKNOWN, BuildEvent.Outcome.HIT, 100)));
        assertEquals(java.util.Optional.empty(), s.crates().get(0).knownPackage());
    }

    private static BuildEvent event(String crate, String kind, String pkg, BuildEvent.Outcome outcome, long millis) {
        return new BuildEvent(1, "b", new WorkspaceSide("/w/target", "debug", "host", "t", "none"), crate, kind, "-",
                outcome, "", millis, 0, 0, 0, "-", pkg);
    }
}
