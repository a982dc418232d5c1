package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.hash.Sha256;
import io.kache.core.store.LocalStore;
import io.kache.core.entry.OutputFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build that recompiled one member (cargo calls rustc only for units not fresh) still records every
 * unchanged crate: the previous record's entries it did not replace are carried on.
 */
class RecordMergeTest {

    private static final BuildIdentity ID = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members");
    /** The workspace of a build's record: asked of a clippy's only. */
    private static final io.kache.core.sync.cargo.ProjectCrates.Workspace NO_WORKSPACE =
            new io.kache.core.sync.cargo.ProjectCrates.Workspace(Path.of("/ws"), Path.of("/ws/target"), Set.of());

    static ArtifactKey key(String crate, String seed) {
        return new ArtifactKey(crate, Sha256.of((crate + "/" + seed).getBytes(StandardCharsets.UTF_8)));
    }

    /** A full build's 16 entries: build script, 14 libraries c0..c13, the app. */
    private static List<ArtifactKey> fullBuild(Map<ArtifactKey, RecordMerge.Facts> facts, String seed) {
        List<ArtifactKey> keys = new ArrayList<>();
        ArtifactKey script = key("build_script_build", seed);
        facts.put(script, new RecordMerge.Facts("build_script_build/build_script_build-c0aa", false));
        keys.add(script);
        for (int i = 0; i < 14; i++) {
            ArtifactKey k = key("c" + i, seed);
            facts.put(k, new RecordMerge.Facts("c" + i + "/c" + i + "-" + i, false));
            keys.add(k);
        }
        ArtifactKey app = key("app", seed);
        facts.put(app, new RecordMerge.Facts("app/app-77", false));
        keys.add(app);
        return keys;
    }

    @Test
    void aBuildThatRecompiledOneMemberStillNamesEveryUnchangedCrateInThePreviousOrder() {
        Map<ArtifactKey, RecordMerge.Facts> facts = new HashMap<>();
        List<ArtifactKey> previous = fullBuild(facts, "v1");
        ArtifactKey c9 = key("c9", "v2");
        ArtifactKey app = key("app", "v2");
        facts.put(c9, new RecordMerge.Facts("c9/c9-9", false));
        facts.put(app, new RecordMerge.Facts("app/app-77", false));

        List<ArtifactKey> merged = List.copyOf(RecordMerge.merge(List.of(c9, app), previous,
                k -> Optional.ofNullable(facts.get(k)), f -> false));

        List<ArtifactKey> expected = new ArrayList<>(previous);
        expected.set(expected.indexOf(key("c9", "v1")), c9);
        expected.set(expected.indexOf(key("app", "v1")), app);
        assertEquals(expected, merged, "16 entries, c9 and app replaced in place");
    }

    @Test
    void entriesTheStoreDoesNotKnowAreReplacedByCrateNameUnlessTheNameIsAmbiguous() {
        ArtifactKey oldLib = key("c9", "v1");
        ArtifactKey oldScriptA = key("build_script_build", "a1");
        ArtifactKey oldScriptB = key("build_script_build", "b1");
        ArtifactKey oldTwoA = key("rand", "0.7");
        ArtifactKey oldTwoB = key("rand", "0.8");
        ArtifactKey newLib = key("c9", "v2");
        ArtifactKey newScriptA = key("build_script_build", "a2");
        ArtifactKey newRand = key("rand", "0.8.1");

        Set<ArtifactKey> merged = RecordMerge.merge(List.of(newScriptA, newLib, newRand),
                List.of(oldScriptA, oldScriptB, oldTwoA, oldTwoB, oldLib), k -> Optional.empty(), f -> false);

        assertEquals(new LinkedHashSet<>(List.of(oldScriptA, oldScriptB, oldTwoA, oldTwoB, newLib, newScriptA, newRand)),
                merged, "c9 replaced; every build script kept (which package's is unknown); rand has two entries"
                        + " and one new one: both kept");
    }

    @Test
    void aLibraryRebuiltKeepsItsTestHarnessOfTheSameCrateName() {
        ArtifactKey lib = key("c9", "lib1");
        ArtifactKey harness = key("c9", "test1");
        ArtifactKey lib2 = key("c9", "lib2");
        Map<ArtifactKey, RecordMerge.Facts> facts = Map.of(lib, new RecordMerge.Facts("c9/c9-aa", false),
                harness, new RecordMerge.Facts("c9/c9-bb", false), lib2, new RecordMerge.Facts("c9/c9-aa", false));

        assertEquals(List.of(lib2, harness), List.copyOf(RecordMerge.merge(List.of(lib2), List.of(lib, harness),
                k -> Optional.ofNullable(facts.get(k)), f -> false)));
        // The harness unknown to the store (pulled by another machine, since evicted): still kept, since
        // the rebuilt library matched the known library and so replaced nothing else.
        assertEquals(List.of(lib2, harness), List.copyOf(RecordMerge.merge(List.of(lib2), List.of(lib, harness),
                k -> k.equals(harness) ? Optional.empty() : Optional.ofNullable(facts.get(k)), f -> false)));
    }

    @Test
    void whenEveryStemChangedTheSameTargetOfTheSamePackageStillReplacesItsEntry() {
        // A profile setting or a dependency's features changed: cargo gives every unit a new stem.
        ArtifactKey lib = key("c9", "lib1");
        ArtifactKey harness = key("c9", "test1");
        ArtifactKey scriptA = key("build_script_build", "a1");
        ArtifactKey scriptB = key("build_script_build", "b1");
        ArtifactKey rand7 = key("rand", "0.7");
        ArtifactKey rand8 = key("rand", "0.8");
        ArtifactKey lib2 = key("c9", "lib2");
        ArtifactKey scriptA2 = key("build_script_build", "a2");
        ArtifactKey rand8b = key("rand", "0.8b");
        Map<ArtifactKey, RecordMerge.Facts> facts = new HashMap<>();
        facts.put(lib, new RecordMerge.Facts("c9/c9-aa", false, "c9/c9/lib"));
        facts.put(harness, new RecordMerge.Facts("c9/c9-bb", false, "c9/c9/exe"));
        facts.put(scriptA, new RecordMerge.Facts("build_script_build/build_script_build-1a", false,
                "build_script_build/a/exe"));
        facts.put(scriptB, new RecordMerge.Facts("build_script_build/build_script_build-1b", false,
                "build_script_build/b/exe"));
        facts.put(rand7, new RecordMerge.Facts("rand/rand-07", false, "rand/rand/lib"));
        facts.put(rand8, new RecordMerge.Facts("rand/rand-08", false, "rand/rand/lib"));
        facts.put(lib2, new RecordMerge.Facts("c9/c9-cc", false, "c9/c9/lib"));
        facts.put(scriptA2, new RecordMerge.Facts("build_script_build/build_script_build-2a", false,
                "build_script_build/a/exe"));
        facts.put(rand8b, new RecordMerge.Facts("rand/rand-08b", false, "rand/rand/lib"));

        List<ArtifactKey> merged = List.copyOf(RecordMerge.merge(List.of(scriptA2, rand8b, lib2),
                List.of(scriptA, scriptB, rand7, rand8, lib, harness), k -> Optional.ofNullable(facts.get(k)), f -> false));

        assertEquals(List.of(scriptA2, scriptB, rand7, rand8, lib2, harness, rand8b), merged,
                "package a's build script and c9's library replaced; b's build script and the test harness kept;"
                        + " two versions of rand and one new one: ambiguous, kept");
    }

    @Test
    void previousEntriesGiveWayToTheRecordsLimitsThisBuildsNever() {
        List<ArtifactKey> now = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            now.add(key("now", "n" + i));
        }
        List<ArtifactKey> previous = new ArrayList<>();
        for (int i = 0; i < BuildRecord.MAX_ENTRIES; i++) {
            previous.add(key("p" + (i % 1000), "p" + i));
        }
        Set<ArtifactKey> merged = RecordMerge.merge(now, previous, k -> Optional.empty(), f -> false);
        assertEquals(BuildRecord.MAX_ENTRIES, merged.size());
        assertTrue(merged.containsAll(now));
        assertTrue(merged.contains(previous.get(0)) && !merged.contains(previous.get(previous.size() - 1)),
                "the previous record's last entries go first");
    }

    /** The same through the remote and a real store, whose entries' files tell their units. */
    @Test
    void withPreviousReadsThePreviousRecordAndTheStoreTellsTheUnits(@TempDir Path tmp) throws Exception {
        MemoryRemote remote = new MemoryRemote();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey core1 = put(store, tmp, key("core_lib", "1"), "libcore_lib-aaaa.rlib", "core_lib-aaaa.d");
            ArtifactKey app1 = put(store, tmp, key("app", "1"), "app-bbbb", "app-bbbb.d");
            ArtifactKey macros = put(store, tmp, key("macros", "1"), "libmacros-cccc.so", "macros-cccc.d");
            ArtifactKey app2 = put(store, tmp, key("app", "2"), "app-bbbb", "app-bbbb.d");
            RecordWriter.write(remote, new BuildRecord(1, "full", ID, new LinkedHashSet<>(List.of(macros, core1, app1))));

            List<String> notes = new ArrayList<>();
            BuildRecord merged = PreviousRecords.withPrevious(remote,
                    new BuildRecord(2, "partial", ID, new LinkedHashSet<>(List.of(app2))), store, NO_WORKSPACE, notes::add);

            assertEquals(List.of(macros, core1, app2), List.copyOf(merged.entries()));
            assertTrue(notes.get(0).startsWith("carried on 2 of the previous record's 3 entries"), notes.toString());
            BuildIdentity other = ID.withFeatures("0123456789abcdef");
            BuildRecord alone = new BuildRecord(3, "f", other, new LinkedHashSet<>(List.of(app2)));
            assertEquals(alone, PreviousRecords.withPrevious(remote, alone, store, NO_WORKSPACE, n -> { }),
                    "another identity's record is not carried on");
        }
    }

    /**
     * A dependency that brings a second version of a package (syn 1 beside syn 2, one rebuilt, the
     * other fresh and not journaled) replaces nothing: the entries tell their versions apart.
     */
    @Test
    void aSecondVersionOfAPackageBesideAFreshOneDoesNotReplaceIt(@TempDir Path tmp) throws Exception {
        MemoryRemote remote = new MemoryRemote();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey syn2 = put(store, tmp, key("syn", "2"), Map.of("package", "syn", "package-version", "2.0.100"),
                    "libsyn-aaaa.rlib", "syn-aaaa.d");
            ArtifactKey app1 = put(store, tmp, key("app", "1"), Map.of("package", "app"), "app-bbbb", "app-bbbb.d");
            ArtifactKey syn1 = put(store, tmp, key("syn", "1"), Map.of("package", "syn", "package-version", "1.0.109"),
                    "libsyn-cccc.rlib", "syn-cccc.d");
            ArtifactKey app2 = put(store, tmp, key("app", "2"), Map.of("package", "app"), "app-bbbb", "app-bbbb.d");
            RecordWriter.write(remote, new BuildRecord(1, "full", ID, new LinkedHashSet<>(List.of(syn2, app1))));

            BuildRecord merged = PreviousRecords.withPrevious(remote,
                    new BuildRecord(2, "partial", ID, new LinkedHashSet<>(List.of(syn1, app2))), store, NO_WORKSPACE, n -> { });

            assertTrue(merged.entries().contains(syn2), "syn 2, fresh and still used, stays: " + merged.entries());
            assertTrue(merged.entries().containsAll(List.of(syn1, app2)), merged.entries().toString());
            assertFalse(merged.entries().contains(app1), "app's unit was rebuilt: " + merged.entries());
        }
    }

    private static ArtifactKey put(LocalStore store, Path tmp, ArtifactKey key, Map<String, String> attributes,
                                   String... names) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out").resolve(key.crateName() + key.shortKey()));
        List<OutputFile> files = new ArrayList<>();
        for (String n : names) {
            Files.writeString(dir.resolve(n), n + key);
            files.add(new OutputFile(n, dir.resolve(n)));
        }
        store.put(key, files, new byte[0], new byte[0], attributes);
        return key;
    }

    private static ArtifactKey put(LocalStore store, Path tmp, ArtifactKey key, String... names) throws Exception {
        return put(store, tmp, key, Map.of(), names);
    }

}
