package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.key.KeyBreakdown.Change;
import io.kache.core.key.KeyBreakdown.Difference;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.key.KeyBreakdown;
import io.kache.core.rustc.CargoUnit;
import io.kache.core.store.MissRecords.EntryParts;
import io.kache.core.store.MissRecords.Miss;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MissExplanationTest {

    private static final String MOD = "absent:" + PathSentinels.SENTINEL_ROOT + "/ws/tool/build/mod.rs";

    @Test
    void aModuleFilesAbsenceAddedSaysItIsAbsentNow() {
        assertEquals("module file tool/build/mod.rs: absent now (which decided which file a `mod` loads);"
                + " the entry did not count on its absence", MissExplanation.describe(new Difference(MOD, Change.ADDED)));
    }

    @Test
    void aModuleFilesAbsenceRemovedSaysItWasAbsentForTheEntry() {
        assertEquals("module file tool/build/mod.rs: absent when the entry was compiled (which decided which file"
                + " a `mod` loads); its absence does not count now (the file exists, or is no longer looked for)",
                MissExplanation.describe(new Difference(MOD, Change.REMOVED)));
    }

    @Test
    void aBuildScriptsMissIsComparedWithItsOwnPackagesEntryNotANearerOneOfAnotherPackage() {
        CargoUnit app = new CargoUnit("app", "build-script");
        Miss miss = new Miss(Instant.parse("2026-12-06T12:00:00Z"), "c".repeat(64), Optional.empty(),
                parts("app-build-rs-2", "app"), Optional.empty(), app);
        // The other package's build script has the same content (both print nothing), and only what
        // cargo derives differs: the nearest by parts, and no explanation at all of app's change.
        EntryParts other = new EntryParts("b".repeat(64), Instant.parse("2026-12-06T11:00:00Z"),
                parts("app-build-rs-2", "greet-lib"), new CargoUnit("greet-lib", "build-script"));
        EntryParts own = new EntryParts("a".repeat(64), Instant.parse("2026-12-06T10:00:00Z"),
                parts("app-build-rs-1", "app"), app);
        MissExplanation e = MissExplanation.of("build_script_build", miss, List.of(other, own));
        assertEquals("a".repeat(64), e.nearest().orElseThrow().entryKey(), e.text());
        assertEquals(List.of(new Difference("file:" + PathSentinels.SENTINEL_ROOT + "/ws/build.rs", Change.CHANGED)),
                e.differences(), e.text());
        assertEquals(true, e.text().startsWith("build_script_build (package app, build-script) last missed at"),
                e.text());
        assertEquals(true, e.json().contains("\"package\": \"app\", \"targetKind\": \"build-script\""), e.json());
    }

    @Test
    void aLibsMissIsNotComparedWithTheBinOfTheSameName() {
        Miss miss = new Miss(Instant.parse("2026-12-06T12:00:00Z"), "c".repeat(64), Optional.empty(),
                parts("1", "greet"), Optional.empty(), new CargoUnit("greet", "lib"));
        EntryParts bin = new EntryParts("b".repeat(64), Instant.parse("2026-12-06T11:00:00Z"), parts("1", "greet"),
                new CargoUnit("greet", "bin"));
        MissExplanation e = MissExplanation.of("greet", miss, List.of(bin));
        assertEquals(Optional.empty(), e.nearest(), e.text());
    }

    @Test
    void anEntryAnOlderKacheStoredWithoutItsUnitIsStillCompared() {
        Miss miss = new Miss(Instant.parse("2026-12-06T12:00:00Z"), "c".repeat(64), Optional.empty(),
                parts("2", "greet"), Optional.empty(), new CargoUnit("greet", "lib"));
        EntryParts old = new EntryParts("a".repeat(64), Instant.parse("2026-12-06T11:00:00Z"), parts("1", "greet"));
        assertEquals("a".repeat(64), MissExplanation.of("greet", miss, List.of(old)).nearest().orElseThrow().entryKey());
    }

    /** A build script's parts: its build.rs (by digest), and -C metadata, which cargo derives from the package. */
    private static KeyBreakdown parts(String buildRs, String pkg) {
        return new KeyBreakdown(Map.of("file:" + PathSentinels.SENTINEL_ROOT + "/ws/build.rs", buildRs,
                "flag:-C metadata", pkg));
    }
}
