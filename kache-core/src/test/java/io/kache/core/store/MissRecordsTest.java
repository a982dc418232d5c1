package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.key.KeyBreakdown;
import io.kache.core.rustc.CargoUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The miss records keep each unit of a crate name apart (every build script is crate
 * {@code build_script_build}), and still read what the previous kache wrote.
 */
class MissRecordsTest {

    private static final String BUILD_SCRIPT = "build_script_build";
    private static final CargoUnit APP = new CargoUnit("app", "build-script");
    private static final CargoUnit GREET = new CargoUnit("greet-lib", "build-script");

    @TempDir
    Path tmp;

    @Test
    void twoPackagesBuildScriptsKeepTheirOwnLatestMiss() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), Long.MAX_VALUE)) {
            MissRecords records = store.missRecords();
            records.missed(BUILD_SCRIPT, miss(Instant.parse("2026-12-06T10:00:00Z"), "aa", APP));
            records.missed(BUILD_SCRIPT, miss(Instant.parse("2026-12-06T11:00:00Z"), "bb", GREET));
            List<MissRecords.Miss> misses = records.lastMisses(BUILD_SCRIPT);
            assertEquals(List.of(GREET, APP), misses.stream().map(MissRecords.Miss::unit).toList(), "newest first");
            assertEquals(List.of("bb", "aa"), misses.stream().map(MissRecords.Miss::callKey).toList());
        }
    }

    @Test
    void aLibAndABinOfOnePackageSharingANameKeepTheirOwnLatestMiss() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), Long.MAX_VALUE)) {
            MissRecords records = store.missRecords();
            records.missed("greet", miss(Instant.parse("2026-12-06T10:00:00Z"), "aa", new CargoUnit("greet", "lib")));
            records.missed("greet", miss(Instant.parse("2026-12-06T11:00:00Z"), "bb", new CargoUnit("greet", "bin")));
            assertEquals(2, records.lastMisses("greet").size());
            assertEquals(List.of(), records.lastMisses("gree"), "another crate's records are not this one's");
        }
    }

    @Test
    void aPackageNameThatIsNoFileNameIsKeptAsItIs() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), Long.MAX_VALUE)) {
            CargoUnit odd = new CargoUnit("../wéird.pkg", "lib");
            store.missRecords().missed("weird", miss(Instant.EPOCH, "aa", odd));
            assertEquals(List.of(odd), store.missRecords().lastMisses("weird").stream().map(MissRecords.Miss::unit).toList());
            try (var files = Files.list(tmp.resolve("store/why"))) {
                assertEquals(1, files.count(), "one file, in why/ itself");
            }
        }
    }

    @Test
    void aMissRecordOfThePreviousKacheIsReadOfAnUnknownUnitAndReplacedByTheNextMiss() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), Long.MAX_VALUE)) {
            // As the previous kache wrote it: why/CRATE.miss, version 2, no package or kind.
            Path old = tmp.resolve("store/why/" + BUILD_SCRIPT + ".miss");
            Files.createDirectories(old.getParent());
            Files.writeString(old, "kache-miss 2\n2026-12-06T09:00:00Z\ncc\n-\n-\n" + parts("1").encode());
            List<MissRecords.Miss> read = store.missRecords().lastMisses(BUILD_SCRIPT);
            assertEquals(1, read.size());
            assertEquals(CargoUnit.UNKNOWN_UNIT, read.get(0).unit());
            assertEquals("cc", read.get(0).callKey());
            assertEquals(parts("1"), read.get(0).parts());

            store.missRecords().missed(BUILD_SCRIPT, miss(Instant.parse("2026-12-06T10:00:00Z"), "aa", APP));
            assertFalse(Files.exists(old), "older than any miss kept per unit, and of no known unit");
            assertEquals(List.of(APP), store.missRecords().lastMisses(BUILD_SCRIPT).stream()
                    .map(MissRecords.Miss::unit).toList());
        }
    }

    @Test
    void anEntryBreakdownKeepsItsUnitAndThePreviousKachesReadsOfAnUnknownOne() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), Long.MAX_VALUE)) {
            ArtifactKey ours = StoreFixtures.key(BUILD_SCRIPT, "a");
            ArtifactKey older = StoreFixtures.key(BUILD_SCRIPT, "b");
            for (ArtifactKey k : List.of(ours, older)) {
                store.put(k, StoreFixtures.libOutputs(tmp.resolve("out-" + k.cacheKey()), BUILD_SCRIPT, k.cacheKey(), 10),
                        null, null, Map.of());
            }
            store.missRecords().entryStored(ours, APP, parts("1"));
            // As the previous kache wrote it: the parts alone.
            Files.writeString(tmp.resolve("store/why/" + BUILD_SCRIPT + "/" + older.cacheKey()), parts("2").encode());
            Map<String, MissRecords.EntryParts> byKey = new java.util.HashMap<>();
            store.missRecords().entries(BUILD_SCRIPT).forEach(e -> byKey.put(e.entryKey(), e));
            assertEquals(APP, byKey.get(ours.cacheKey()).unit());
            assertEquals(parts("1"), byKey.get(ours.cacheKey()).parts());
            assertEquals(CargoUnit.UNKNOWN_UNIT, byKey.get(older.cacheKey()).unit());
            assertEquals(parts("2"), byKey.get(older.cacheKey()).parts());
        }
    }

    @Test
    void aRecordThatIsNotTextIsLeftOutAndNamedAndTheOthersAreStillRead() throws Exception {
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), Long.MAX_VALUE)) {
            MissRecords records = store.missRecords();
            records.missed(BUILD_SCRIPT, miss(Instant.parse("2026-12-06T10:00:00Z"), "aa", APP));
            records.missed(BUILD_SCRIPT, miss(Instant.parse("2026-12-06T10:00:01Z"), "bb", GREET));
            ArtifactKey ok = StoreFixtures.key(BUILD_SCRIPT, "a");
            ArtifactKey damaged = StoreFixtures.key(BUILD_SCRIPT, "b");
            for (ArtifactKey k : List.of(ok, damaged)) {
                store.put(k, StoreFixtures.libOutputs(tmp.resolve("out-" + k.cacheKey()), BUILD_SCRIPT, k.cacheKey(), 10),
                        null, null, Map.of());
                records.entryStored(k, APP, parts(k.cacheKey()));
            }
            // Bytes that are no UTF-8 (a torn disk block, a stray write): the decoder refuses them.
            byte[] garbage = {(byte) 0xff, (byte) 0xfe, 'k', (byte) 0xc3, '\n', (byte) 0x80, (byte) 0xff};
            Path missRecord = tmp.resolve("store/why/" + BUILD_SCRIPT + ".greet-lib.build-script.miss");
            Path breakdown = tmp.resolve("store/why/" + BUILD_SCRIPT + "/" + damaged.cacheKey());
            assertTrue(Files.exists(missRecord) && Files.exists(breakdown));
            Files.write(missRecord, garbage);
            Files.write(breakdown, garbage);

            Map<Path, String> told = new java.util.HashMap<>();
            assertEquals(List.of(APP), records.lastMisses(BUILD_SCRIPT, told::put).stream()
                    .map(MissRecords.Miss::unit).toList());
            assertEquals(List.of(ok.cacheKey()), records.entries(BUILD_SCRIPT, told::put).stream()
                    .map(MissRecords.EntryParts::entryKey).toList());
            assertEquals(Map.of(missRecord, "not UTF-8 text", breakdown, "not UTF-8 text"), told);
        }
    }

    private static MissRecords.Miss miss(Instant at, String callKey, CargoUnit unit) {
        return new MissRecords.Miss(at, callKey, Optional.empty(), parts(callKey), Optional.empty(), unit);
    }

    private static KeyBreakdown parts(String digest) {
        return new KeyBreakdown(Map.of("file:/ws/build.rs", digest, "flag:--edition", "e"));
    }
}
