package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.key.KeyBreakdown;
import io.kache.core.rustc.CargoUnit;
import io.kache.core.store.LocalStore;
import io.kache.core.store.MissRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kache why-miss NAME} where the name is several units (two packages' build scripts, a
 * package's lib and bin): a usage error naming the candidates, in the one JSON shape with
 * {@code --json}; {@code --package} and {@code --kind} pick one.
 */
class WhyMissCommandTest {

    @TempDir
    Path tmp;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        Path store = tmp.resolve("store");
        env = Map.of("KACHE_CACHE_DIR", store.toString(), "HOME", tmp.toString(),
                "XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            missed(s, "build_script_build", "app", "build-script", "2026-12-06T10:00:00Z");
            missed(s, "build_script_build", "greet-lib", "build-script", "2026-12-06T10:00:01Z");
            missed(s, "greet", "greet", "lib", "2026-12-06T10:00:02Z");
            missed(s, "greet", "greet", "bin", "2026-12-06T10:00:03Z");
        }
    }

    @Test
    void aNameOfTwoPackagesExitsAsAUsageErrorNamingEachCandidate() {
        CliRun r = CliRun.of(env, tmp, "why-miss", "build_script_build");
        assertEquals(2, r.exit(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertTrue(r.err().contains("build_script_build is 2 targets here"), r.err());
        assertTrue(r.err().contains("kache why-miss build_script_build --package app --kind build-script"), r.err());
        assertTrue(r.err().contains("kache why-miss build_script_build --package greet-lib --kind build-script"),
                r.err());
    }

    @Test
    void anAmbiguousNamesJsonIsTheOneObjectWithAnErrorAndTheCandidates() {
        // Newest miss first, as the text lists them.
        CliRun r = CliRun.of(env, tmp, "why-miss", "build_script_build", "--json");
        assertEquals(2, r.exit(), r.toString());
        String json = r.out().strip();
        assertTrue(json.startsWith("{\"crate\": \"build_script_build\", \"package\": null, \"targetKind\": null,"
                + " \"missedAt\": null, \"error\": \"ambiguous\", \"candidates\": ["
                + "{\"package\": \"greet-lib\", \"targetKind\": \"build-script\", \"missedAt\": \"2026-12-06T10:00:01Z\"}, "
                + "{\"package\": \"app\", \"targetKind\": \"build-script\", \"missedAt\": \"2026-12-06T10:00:00Z\"}],"
                + " \"explanation\": "), json);
        assertTrue(json.endsWith("}") && json.lines().count() == 1, json);
    }

    @Test
    void packageAndKindPickOneUnit() {
        CliRun app = CliRun.of(env, tmp, "why-miss", "build_script_build", "--package", "app");
        assertEquals(0, app.exit(), app.toString());
        assertTrue(app.out().startsWith("build_script_build (package app, build-script) last missed at"), app.out());

        CliRun both = CliRun.of(env, tmp, "why-miss", "greet", "--package", "greet", "--json");
        assertEquals(2, both.exit(), "a lib and a bin of one package: --package is not enough\n" + both);
        assertTrue(both.out().contains("\"error\": \"ambiguous\""), both.out());

        CliRun bin = CliRun.of(env, tmp, "why-miss", "greet", "--package", "greet", "--kind", "bin", "--json");
        assertEquals(0, bin.exit(), bin.toString());
        assertTrue(bin.out().startsWith("{\"crate\": \"greet\", \"package\": \"greet\", \"targetKind\": \"bin\","),
                bin.out());
    }

    @Test
    void aKindWithNoMissIsNoMissNotAnError() {
        CliRun r = CliRun.of(env, tmp, "why-miss", "greet", "--kind", "test");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("kache recorded no miss of greet (test)"), r.out());
    }

    @Test
    void theNoMissJsonHasTheKeysOfTheOtherAnswers() {
        CliRun kind = CliRun.of(env, tmp, "why-miss", "greet", "--kind", "test", "--json");
        assertEquals(0, kind.exit(), kind.toString());
        assertTrue(kind.out().startsWith("{\"crate\": \"greet\", \"package\": null, \"targetKind\": \"test\","
                + " \"missedAt\": null, \"explanation\": \"kache recorded no miss of greet (test) in "), kind.out());
        CliRun none = CliRun.of(env, tmp, "why-miss", "serde", "--package", "serde", "--json");
        assertEquals(0, none.exit(), none.toString());
        assertTrue(none.out().startsWith("{\"crate\": \"serde\", \"package\": \"serde\", \"targetKind\": null,"
                + " \"missedAt\": null, \"explanation\": "), none.out());
    }

    @Test
    void aDamagedRecordIsLeftOutAndNamedOnceAndTheJsonIsStillTheOneObject() throws Exception {
        // The bin's record overwritten with bytes that are no UTF-8: the lib's miss is the one left.
        Path record = tmp.resolve("store/why/greet.greet.bin.miss");
        assertTrue(Files.exists(record), record + " is where the bin's miss is kept");
        Files.write(record, new byte[] {(byte) 0xff, (byte) 0xfe, 'x', (byte) 0xc3, '\n', (byte) 0x80});
        for (boolean json : new boolean[] {false, true}) {
            CliRun r = json ? CliRun.of(env, tmp, "why-miss", "greet", "--json") : CliRun.of(env, tmp, "why-miss", "greet");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().startsWith(json ? "{\"crate\": \"greet\", \"package\": \"greet\", \"targetKind\": \"lib\","
                    : "greet (package greet, lib) last missed at"), r.toString());
            if (json) {
                assertTrue(r.out().strip().endsWith("}") && r.out().strip().lines().count() == 1, r.out());
            }
            String named = "kache: why-miss: skipped " + record.toRealPath() + " (not UTF-8 text)";
            assertTrue(r.err().contains(named), r.toString());
            assertEquals(r.err().indexOf(named), r.err().lastIndexOf(named), "said once\n" + r);
        }
    }

    private static void missed(LocalStore s, String crate, String pkg, String kind, String at) throws Exception {
        s.missRecords().missed(crate, new MissRecords.Miss(Instant.parse(at), "c".repeat(64), Optional.empty(),
                new KeyBreakdown(Map.of("flag:--edition", "e")), Optional.empty(), new CargoUnit(pkg, kind)));
    }
}
