package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.OutputFile;
import io.kache.core.key.KeyBreakdown;
import io.kache.core.rustc.CargoUnit;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.store.MissRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store the previous kache wrote (journal lines and miss records without the package and kind)
 * still answers {@code kache why-miss} and {@code kache report}.
 */
class PreviousStoreFormatTest {

    private static final String BUILD_RS = "file:" + io.kache.core.rustc.PathSentinels.SENTINEL_ROOT + "/ws/build.rs";

    @TempDir
    Path tmp;
    Map<String, String> env;
    Path store;

    @BeforeEach
    void setUp() {
        store = tmp.resolve("store");
        env = Map.of("KACHE_CACHE_DIR", store.toString(), "HOME", tmp.toString(),
                "XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
    }

    @Test
    void anOldJournalLineIsReportedOnARowOfItsOwn() throws Exception {
        Files.createDirectories(store);
        LocalStore.open(store, 1L << 30).close();
        long now = System.currentTimeMillis();
        Path day = Files.createDirectories(store.resolve("journal"))
                .resolve(LocalDate.ofEpochDay(now / 86_400_000L) + ".log");
        // As the previous kache wrote it: 18 fields, no package.
        Files.writeString(day, "k1\t" + now + "\t1-2\t/w/target\tdebug\thost\tt\tnone\tbuild_script_build\tbuild-script"
                + "\t-\tstored\t\t120\t0\t0\t0\t-\n");
        CliRun report = CliRun.of(env, tmp, "report", "--format", "json");
        assertEquals(0, report.exit(), report.toString());
        assertTrue(report.out().contains("{\"crate\": \"build_script_build\", \"package\": null, \"kind\": \"build-script\","
                + " \"outcomes\": [\"stored\"]"), report.out());
        CliRun text = CliRun.of(env, tmp, "report");
        assertTrue(text.out().lines().anyMatch(l -> l.strip().startsWith("build_script_build ")), text.out());
    }

    @Test
    void anOldMissRecordIsExplainedAndAnOldEntryOfAnotherPackageIsNoExplanationOfANewMiss() throws Exception {
        ArtifactKey greetEntry = new ArtifactKey("build_script_build", "b".repeat(64));
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            Path f = Files.writeString(tmp.resolve("build_script_build-1"), "exe");
            // An older kache's entry of greet-lib's build script: its package only in the entry's attributes.
            s.put(greetEntry, List.of(new OutputFile("build_script_build-1", f)), null, null,
                    Map.of(EntryInfo.PACKAGE_ATTRIBUTE, "greet-lib"));
        }
        Files.writeString(Files.createDirectories(store.resolve("why/build_script_build")).resolve(greetEntry.cacheKey()),
                parts("1").encode());
        // The previous kache's miss record: one for the crate, whichever package missed last.
        Files.writeString(store.resolve("why/build_script_build.miss"), "kache-miss 2\n2026-12-06T09:00:00Z\n"
                + "c".repeat(64) + "\n-\n-\n" + parts("2").encode());
        CliRun old = CliRun.of(env, tmp, "why-miss", "build_script_build");
        assertEquals(0, old.exit(), old.toString());
        assertTrue(old.out().startsWith("build_script_build last missed at 2026-12-06T09:00:00Z"), old.out());
        assertTrue(old.out().contains("source file build.rs: its content changed"), "compared as before:\n" + old.out());

        // app's build script misses now: greet-lib's older entry explains nothing of it.
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            s.missRecords().missed("build_script_build", new MissRecords.Miss(Instant.parse("2026-12-06T10:00:00Z"),
                    "d".repeat(64), Optional.empty(), parts("2"), Optional.empty(), new CargoUnit("app", "build-script")));
        }
        CliRun app = CliRun.of(env, tmp, "why-miss", "build_script_build");
        assertTrue(app.out().startsWith("build_script_build (package app, build-script) last missed at"), app.out());
        assertTrue(app.out().contains("No entry to compare with"), app.out());
        assertFalse(app.out().contains("build.rs"), app.out());
    }

    private static KeyBreakdown parts(String buildRs) {
        return new KeyBreakdown(Map.of(BUILD_RS, buildRs, "flag:--edition", "e"));
    }
}
