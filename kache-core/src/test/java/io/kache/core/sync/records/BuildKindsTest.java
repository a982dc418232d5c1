package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.OutputFile;
import io.kache.core.journal.BuildEvent;
import io.kache.core.journal.WorkspaceSide;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build's kind is part of its identity: {@code cargo check} (metadata only) and {@code cargo build}
 * (linked outputs) each have their own record, and a build id spanning several cargo commands
 * ({@code KACHE_BUILD_ID}) gets one record per profile and kind.
 */
class BuildKindsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    /** Stores an entry whose files are named as rustc names them. */
    private static ArtifactKey put(LocalStore store, Path tmp, ArtifactKey key, String... names) throws Exception {
        return put(store, tmp, key, Map.of(), names);
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

    private static void journal(LocalStore store, Path target, String build, String profile, String kind,
                                ArtifactKey k) {
        store.journal().append(new BuildEvent(System.currentTimeMillis(), build,
                new WorkspaceSide(target.toString(), profile, "host", "tc", "none"), k.crateName(), kind, k.cacheKey(),
                BuildEvent.Outcome.STORED, "", 10, 0, 0, 0));
    }

    /** A call of package {@code pkg}, through clippy-driver or not. */
    private static void journal(LocalStore store, Path target, String build, String kind, ArtifactKey k, String pkg,
                                boolean clippy) {
        store.journal().append(new BuildEvent(System.currentTimeMillis(), build,
                new WorkspaceSide(target.toString(), "debug", "host", "tc", "none"), k.crateName(), kind, k.cacheKey(),
                BuildEvent.Outcome.STORED, "", 10, 0, 0, 0, "-", pkg, clippy));
    }

    /** The workspace of members app and core-lib (crate core_lib). */
    private ProjectCrates.Workspace membersWorkspace() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("ws"));
        return new ProjectCrates.Workspace(root, root.resolve("target"), Set.of("app", "core_lib"), List.of(
                new io.kache.core.sync.cargo.CargoPackage("app", true, List.of()),
                new io.kache.core.sync.cargo.CargoPackage("core-lib", true, List.of())));
    }

    private static ArtifactKey key(String crate, String seed) {
        return RecordMergeTest.key(crate, seed);
    }

    private ProjectCrates.Workspace workspace() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("ws"));
        return new ProjectCrates.Workspace(root, root.resolve("target"), Set.of("app", "core_lib"));
    }

    private static Map<String, BuildRecord> byKindAndProfile(List<BuildRecord> records) {
        Map<String, BuildRecord> m = new java.util.TreeMap<>();
        records.forEach(r -> m.put(r.identity().kind() + "/" + r.identity().profile(), r));
        assertEquals(records.size(), m.size(), records.toString());
        return m;
    }

    @Test
    void aCheckAfterABuildHasItsOwnRecordInItsOwnSlots() throws Exception {
        ProjectCrates.Workspace ws = workspace();
        Path target = ws.targetDirectory();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey script = put(store, tmp, key("build_script_build", "1"), "build_script_build-5a", "build_script_build-5a.d");
            ArtifactKey syn = put(store, tmp, key("syn", "1"), "libsyn-0a.rlib", "libsyn-0a.rmeta", "syn-0a.d");
            ArtifactKey coreRlib = put(store, tmp, key("core_lib", "1"), "libcore_lib-1a.rlib", "libcore_lib-1a.rmeta",
                    "core_lib-1a.d");
            ArtifactKey app = put(store, tmp, key("app", "1"), "app-2a", "app-2a.d");
            ArtifactKey coreRmeta = put(store, tmp, key("core_lib", "c"), "libcore_lib-1c.rmeta", "core_lib-1c.d");
            ArtifactKey appRmeta = put(store, tmp, key("app", "c"), "libapp-2c.rmeta", "app-2c.d");
            for (ArtifactKey k : List.of(script, syn, coreRlib, app)) {
                journal(store, target, "cargo-build", "debug", k == script ? "build-script" : k == app ? "bin" : "lib", k);
            }
            List<BuildRecord> built = JournalRecords.fromJournal(store, ws, Map.of());
            assertEquals(1, built.size());
            assertEquals(BuildIdentity.BUILD, built.get(0).identity().kind());
            assertEquals(List.of(script, syn, coreRlib, app), List.copyOf(built.get(0).entries()));

            // cargo check: the build script and the proc macro's dependency (syn) link here too.
            for (ArtifactKey k : List.of(script, syn, coreRmeta, appRmeta)) {
                journal(store, target, "cargo-check", "debug", k == script ? "build-script" : k == appRmeta ? "bin" : "lib", k);
            }
            List<BuildRecord> checked = JournalRecords.fromJournal(store, ws, Map.of());
            assertEquals(1, checked.size(), checked.toString());
            BuildIdentity check = checked.get(0).identity();
            assertEquals(BuildIdentity.CHECK, check.kind());
            assertEquals(List.of(script, syn, coreRmeta, appRmeta), List.copyOf(checked.get(0).entries()));
            assertNotEquals(built.get(0).identity().exactSlot(), check.exactSlot());
            assertNotEquals(built.get(0).identity().lineSlot(), check.lineSlot());

            // Both written: a build reads the build's, a check the check's.
            MemoryRemote remote = new MemoryRemote();
            RecordWriter.write(remote, built.get(0));
            RecordWriter.write(remote, checked.get(0));
            assertEquals(built.get(0).entries(), RecordChoice.choose(remote, check.withKind(BuildIdentity.BUILD), DEADLINE)
                    .record().orElseThrow().entries());
            assertEquals(checked.get(0).entries(), RecordChoice.choose(remote, check, DEADLINE)
                    .record().orElseThrow().entries());
        }
    }

    @Test
    void aBuildIdSpanningDebugReleaseAndCheckGetsARecordForEach() throws Exception {
        ProjectCrates.Workspace ws = workspace();
        Path target = ws.targetDirectory();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey script = put(store, tmp, key("build_script_build", "1"), "build_script_build-5a", "build_script_build-5a.d");
            ArtifactKey core = put(store, tmp, key("core_lib", "d"), "libcore_lib-1a.rlib", "libcore_lib-1a.rmeta", "core_lib-1a.d");
            ArtifactKey app = put(store, tmp, key("app", "d"), "app-2a", "app-2a.d");
            ArtifactKey scriptR = put(store, tmp, key("build_script_build", "r"), "build_script_build-5r", "build_script_build-5r.d");
            ArtifactKey coreR = put(store, tmp, key("core_lib", "r"), "libcore_lib-1r.rlib", "libcore_lib-1r.rmeta", "core_lib-1r.d");
            ArtifactKey appR = put(store, tmp, key("app", "r"), "app-2r", "app-2r.d");
            ArtifactKey coreC = put(store, tmp, key("core_lib", "c"), "libcore_lib-1c.rmeta", "core_lib-1c.d");
            ArtifactKey appC = put(store, tmp, key("app", "c"), "libapp-2c.rmeta", "app-2c.d");
            journal(store, target, "ci-job-42", "debug", "build-script", script);
            journal(store, target, "ci-job-42", "debug", "lib", core);
            journal(store, target, "ci-job-42", "debug", "bin", app);
            journal(store, target, "ci-job-42", "release", "build-script", scriptR);
            journal(store, target, "ci-job-42", "release", "lib", coreR);
            journal(store, target, "ci-job-42", "release", "bin", appR);
            journal(store, target, "ci-job-42", "debug", "build-script", script);
            journal(store, target, "ci-job-42", "debug", "lib", coreC);
            journal(store, target, "ci-job-42", "debug", "bin", appC);

            Map<String, BuildRecord> records = byKindAndProfile(JournalRecords.fromJournal(store, ws, Map.of()));

            assertEquals(Set.of("build/debug", "build/release", "check/debug"), records.keySet());
            assertEquals(List.of(script, core, app), List.copyOf(records.get("build/debug").entries()));
            assertEquals(List.of(scriptR, coreR, appR), List.copyOf(records.get("build/release").entries()));
            assertEquals(List.of(script, coreC, appC), List.copyOf(records.get("check/debug").entries()));
            Set<String> slots = new java.util.HashSet<>();
            records.values().forEach(r -> {
                slots.add(r.identity().exactSlot());
                slots.add(r.identity().lineSlot());
            });
            assertEquals(6, slots.size(), "each in slots of its own");
        }
    }

    @Test
    void aRecordOfUnknownKindStillServesAsAFallbackAndABuildsPreviousMetadataEntriesAreDropped() throws Exception {
        BuildIdentity build = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members");
        BuildIdentity check = build.withKind(BuildIdentity.CHECK);
        ArtifactKey a = key("a", "1");
        MemoryRemote remote = new MemoryRemote();
        // Written before kinds counted: in the slots builds read.
        BuildRecord old = new BuildRecord(1, "old", build.withKind(BuildIdentity.UNKNOWN), Set.of(a));
        RecordWriter.write(remote, old);
        assertEquals(Set.of(a), RecordChoice.choose(remote, build, DEADLINE).record().orElseThrow().entries());
        RecordChoice c = RecordChoice.choose(remote, check, DEADLINE);
        assertEquals(Set.of(a), c.record().orElseThrow().entries(), c.notes().toString());
        assertTrue(c.notes().get(0).contains("written before kinds of build counted"), c.notes().toString());
        // A build's record there does not serve a check.
        RecordWriter.write(remote, new BuildRecord(2, "new", build, Set.of(a)));
        assertEquals(Optional.empty(), RecordChoice.choose(remote, check, DEADLINE).record());

        // A build carrying on an old record that a check wrote: the metadata-only entries go.
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey rmeta = put(store, tmp, key("c1", "c"), "libc1-1c.rmeta", "c1-1c.d");
            ArtifactKey rlib = put(store, tmp, key("c2", "b"), "libc2-2b.rlib", "libc2-2b.rmeta", "c2-2b.d");
            ArtifactKey app = put(store, tmp, key("app", "b"), "app-3b", "app-3b.d");
            RecordWriter.write(remote, new BuildRecord(3, "old-check", build.withKind(BuildIdentity.UNKNOWN),
                    new LinkedHashSet<>(List.of(rmeta, rlib))));
            BuildRecord merged = PreviousRecords.withPrevious(remote, new BuildRecord(4, "b", build, Set.of(app)), store, workspace(),
                    n -> { });
            assertEquals(List.of(rlib, app), List.copyOf(merged.entries()));
        }
    }

    /**
     * A plain cargo check links a dependency of a build script ({@code libc} for {@code cc}) and checks
     * the crate of that name the workspace depends on: that is no build beside the check (found by
     * review: it wrote a build record of the host tools into the build's slots).
     */
    @Test
    void aCheckThatLinksABuildScriptsDependencyWritesNoBuildRecord() throws Exception {
        ProjectCrates.Workspace ws = workspace();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey libcHost = put(store, tmp, key("libc", "h"), "liblibc-0h.rlib", "liblibc-0h.rmeta", "libc-0h.d");
            ArtifactKey cc = put(store, tmp, key("cc", "h"), "libcc-0c.rlib", "libcc-0c.rmeta", "cc-0c.d");
            ArtifactKey script = put(store, tmp, key("build_script_build", "1"), "build_script_build-5a",
                    "build_script_build-5a.d");
            ArtifactKey libcTarget = put(store, tmp, key("libc", "t"), "liblibc-0t.rmeta", "libc-0t.d");
            ArtifactKey app = put(store, tmp, key("app", "c"), "libapp-2c.rmeta", "app-2c.d");
            journal(store, ws.targetDirectory(), "check", "debug", "lib", libcHost);
            journal(store, ws.targetDirectory(), "check", "debug", "lib", cc);
            journal(store, ws.targetDirectory(), "check", "debug", "build-script", script);
            journal(store, ws.targetDirectory(), "check", "debug", "lib", libcTarget);
            journal(store, ws.targetDirectory(), "check", "debug", "bin", app);

            List<BuildRecord> records = JournalRecords.fromJournal(store, ws, Map.of());

            assertEquals(List.of(BuildIdentity.CHECK), records.stream().map(r -> r.identity().kind()).toList(),
                    "a check's record only: " + records);
            assertEquals(Set.of(libcHost, cc, script, libcTarget, app), Set.copyOf(records.get(0).entries()),
                    "every entry the check used, the build script's linked dependency too: " + records);
        }
    }

    /** The entries of a check and a clippy of {@link #membersWorkspace}: a dependency's build script and lib, and each member checked and linted. */
    private record CheckAndClippy(ArtifactKey script, ArtifactKey dep, ArtifactKey coreCheck, ArtifactKey appCheck,
                                  ArtifactKey coreClippy, ArtifactKey appClippy) {
        static CheckAndClippy putInto(LocalStore store, Path tmp) throws Exception {
            return new CheckAndClippy(
                    put(store, tmp, key("build_script_build", "d"), "build_script_build-5d", "build_script_build-5d.d"),
                    put(store, tmp, key("dep", "c"), "libdep-0c.rmeta", "dep-0c.d"),
                    put(store, tmp, key("core_lib", "c"), "libcore_lib-1c.rmeta", "core_lib-1c.d"),
                    put(store, tmp, key("app", "c"), "libapp-2c.rmeta", "app-2c.d"),
                    put(store, tmp, key("core_lib", "y"), "libcore_lib-1y.rmeta", "core_lib-1y.d"),
                    put(store, tmp, key("app", "y"), "libapp-2y.rmeta", "app-2y.d"));
        }
    }

    /**
     * cargo clippy runs members through clippy-driver under keys of their own and non-members through
     * rustc as a check does: its record lists its members' clippy entries and the non-members' check
     * entries, in slots of its own, and a check's record never lists its members' clippy entries (they
     * shared the check's slots: each prefetched the other's members).
     */
    @Test
    void aClippyBuildsCallsAreWrittenUnderTheClippyKindAndAChecksUnderCheck() throws Exception {
        ProjectCrates.Workspace ws = membersWorkspace();
        Path target = ws.targetDirectory();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            CheckAndClippy e = CheckAndClippy.putInto(store, tmp);
            journal(store, target, "cargo-check", "build-script", e.script(), "dep", false);
            journal(store, target, "cargo-check", "lib", e.dep(), "dep", false);
            journal(store, target, "cargo-check", "lib", e.coreCheck(), "core-lib", false);
            journal(store, target, "cargo-check", "bin", e.appCheck(), "app", false);
            List<BuildRecord> checked = JournalRecords.fromJournal(store, ws, Map.of());
            assertEquals(List.of(BuildIdentity.CHECK), checked.stream().map(r -> r.identity().kind()).toList());
            assertEquals(List.of(e.script(), e.dep(), e.coreCheck(), e.appCheck()), List.copyOf(checked.get(0).entries()));

            journal(store, target, "cargo-clippy", "build-script", e.script(), "dep", false);
            journal(store, target, "cargo-clippy", "lib", e.dep(), "dep", false);
            journal(store, target, "cargo-clippy", "lib", e.coreClippy(), "core-lib", true);
            journal(store, target, "cargo-clippy", "bin", e.appClippy(), "app", true);
            List<BuildRecord> linted = JournalRecords.fromJournal(store, ws, Map.of());
            assertEquals(List.of(BuildIdentity.CLIPPY), linted.stream().map(r -> r.identity().kind()).toList(),
                    "a clippy's record only, no check's: " + linted);
            assertEquals(List.of(e.script(), e.dep(), e.coreClippy(), e.appClippy()), List.copyOf(linted.get(0).entries()));
            assertNotEquals(checked.get(0).identity().exactSlot(), linted.get(0).identity().exactSlot());
            assertNotEquals(checked.get(0).identity().lineSlot(), linted.get(0).identity().lineSlot());
        }
    }

    /** A build id spanning cargo check and cargo clippy ({@code KACHE_BUILD_ID}): a record each, neither with the other's members. */
    @Test
    void aBuildIdSpanningCheckAndClippyKeepsEachKindsMemberEntriesApart() throws Exception {
        ProjectCrates.Workspace ws = membersWorkspace();
        Path target = ws.targetDirectory();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            CheckAndClippy e = CheckAndClippy.putInto(store, tmp);
            // The non-members are fresh by the time clippy runs: only its members journal.
            journal(store, target, "ci-job-7", "build-script", e.script(), "dep", false);
            journal(store, target, "ci-job-7", "lib", e.dep(), "dep", false);
            journal(store, target, "ci-job-7", "lib", e.coreCheck(), "core-lib", false);
            journal(store, target, "ci-job-7", "bin", e.appCheck(), "app", false);
            journal(store, target, "ci-job-7", "lib", e.coreClippy(), "core-lib", true);
            journal(store, target, "ci-job-7", "bin", e.appClippy(), "app", true);

            Map<String, BuildRecord> records = byKindAndProfile(JournalRecords.fromJournal(store, ws, Map.of()));

            assertEquals(Set.of("check/debug", "clippy/debug"), records.keySet());
            assertEquals(List.of(e.script(), e.dep(), e.coreCheck(), e.appCheck()), List.copyOf(records.get("check/debug").entries()));
            assertEquals(List.of(e.script(), e.dep(), e.coreClippy(), e.appClippy()),
                    List.copyOf(records.get("clippy/debug").entries()));
        }
    }

    /** The kind a reader tells from {@code cargo clippy} reads the clippy's slots: a check's record is not its own. */
    @Test
    void cargoClippyReadsTheClippySlotNotTheChecks() throws Exception {
        BuildIdentity check = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members")
                .withKind(BuildKinds.ofCommand(List.of("cargo", "check")).orElseThrow());
        BuildIdentity clippy = check.withKind(BuildKinds.ofCommand(List.of("cargo", "clippy", "--all-targets"))
                .orElseThrow());
        ArtifactKey dep = key("dep", "c");
        ArtifactKey coreCheck = key("core_lib", "c");
        ArtifactKey coreClippy = key("core_lib", "y");
        MemoryRemote remote = new MemoryRemote();
        RecordWriter.write(remote, new BuildRecord(1, "cargo-check", check, new LinkedHashSet<>(List.of(dep, coreCheck))));

        assertNotEquals(check.exactSlot(), clippy.exactSlot());
        assertNotEquals(check.lineSlot(), clippy.lineSlot());
        assertEquals(Optional.empty(), RecordChoice.choose(remote, clippy, DEADLINE).record(),
                "a clippy does not prefetch the check's members");

        RecordWriter.write(remote, new BuildRecord(2, "cargo-clippy", clippy,
                new LinkedHashSet<>(List.of(dep, coreClippy))));
        assertEquals(Set.of(dep, coreClippy), RecordChoice.choose(remote, clippy, DEADLINE).record().orElseThrow()
                .entries());
        assertEquals(Set.of(dep, coreCheck), RecordChoice.choose(remote, check, DEADLINE).record().orElseThrow()
                .entries(), "nor a check the clippy's");
    }

    /**
     * A clippy after a check in the same target directory journals its members only (cargo finds the
     * non-members the check compiled fresh): its first record carries on the check's record's entries
     * of non-members, their build scripts too, never the check's members', nor a member's build script.
     */
    @Test
    void aClippysFirstRecordCarriesOnTheChecksNonMembers() throws Exception {
        BuildIdentity check = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members")
                .withKind(BuildIdentity.CHECK);
        BuildIdentity clippy = check.withKind(BuildIdentity.CLIPPY);
        MemoryRemote remote = new MemoryRemote();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey depScript = put(store, tmp, key("build_script_build", "d"), Map.of("package", "dep"),
                    "build_script_build-5d", "build_script_build-5d.d");
            ArtifactKey coreScript = put(store, tmp, key("build_script_build", "c"), Map.of("package", "core-lib"),
                    "build_script_build-6c", "build_script_build-6c.d");
            ArtifactKey dep = put(store, tmp, key("dep", "c"), "libdep-0c.rmeta", "dep-0c.d");
            ArtifactKey coreCheck = put(store, tmp, key("core_lib", "c"), "libcore_lib-1c.rmeta", "core_lib-1c.d");
            ArtifactKey appCheck = put(store, tmp, key("app", "c"), "libapp-2c.rmeta", "app-2c.d");
            ArtifactKey coreClippy = put(store, tmp, key("core_lib", "y"), "libcore_lib-1y.rmeta", "core_lib-1y.d");
            RecordWriter.write(remote, new BuildRecord(1, "cargo-check", check,
                    new LinkedHashSet<>(List.of(depScript, coreScript, dep, coreCheck, appCheck))));

            // cargo metadata names every member's build script build_script_build: its package tells.
            ProjectCrates.Workspace ws = membersWorkspace();
            BuildRecord merged = PreviousRecords.withPrevious(remote, new BuildRecord(2, "cargo-clippy", clippy,
                    Set.of(coreClippy)), store, new ProjectCrates.Workspace(ws.root(), ws.targetDirectory(),
                    Set.of("app", "core_lib", "build_script_build"), ws.memberPackages()), n -> { });

            assertEquals(List.of(depScript, dep, coreClippy), List.copyOf(merged.entries()));
            assertEquals(clippy, merged.identity());
        }
    }

    /**
     * The reverse: a check after a clippy in the same target directory journals its members only
     * (cargo-clippy's own `cargo check` compiled the non-members), so its first record carries on the
     * clippy record's non-member entries, never a member's clippy entry.
     */
    @Test
    void aChecksFirstRecordCarriesOnTheClippysNonMembers() throws Exception {
        BuildIdentity clippy = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members")
                .withKind(BuildIdentity.CLIPPY);
        BuildIdentity check = clippy.withKind(BuildIdentity.CHECK);
        MemoryRemote remote = new MemoryRemote();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey depScript = put(store, tmp, key("build_script_build", "d"), Map.of("package", "dep"),
                    "build_script_build-5d", "build_script_build-5d.d");
            ArtifactKey coreScriptClippy = put(store, tmp, key("build_script_build", "y"), Map.of("package", "core-lib"),
                    "build_script_build-6y", "build_script_build-6y.d");
            ArtifactKey dep = put(store, tmp, key("dep", "c"), "libdep-0c.rmeta", "dep-0c.d");
            ArtifactKey coreClippy = put(store, tmp, key("core_lib", "y"), "libcore_lib-1y.rmeta", "core_lib-1y.d");
            ArtifactKey appClippy = put(store, tmp, key("app", "y"), "libapp-2y.rmeta", "app-2y.d");
            ArtifactKey coreCheck = put(store, tmp, key("core_lib", "c"), "libcore_lib-1c.rmeta", "core_lib-1c.d");
            RecordWriter.write(remote, new BuildRecord(1, "cargo-clippy", clippy,
                    new LinkedHashSet<>(List.of(depScript, coreScriptClippy, dep, coreClippy, appClippy))));

            ProjectCrates.Workspace ws = membersWorkspace();
            BuildRecord merged = PreviousRecords.withPrevious(remote, new BuildRecord(2, "cargo-check", check,
                    Set.of(coreCheck)), store, new ProjectCrates.Workspace(ws.root(), ws.targetDirectory(),
                    Set.of("app", "core_lib", "build_script_build"), ws.memberPackages()), n -> { });

            assertEquals(List.of(depScript, dep, coreCheck), List.copyOf(merged.entries()));
            assertEquals(check, merged.identity());
        }
    }

    /**
     * A build after a check in the same target directory finds the build scripts and proc macros the
     * check compiled as a build does: its first record carries them on from the check's record, and
     * none of the check's metadata-only entries. A clippy's first record after a build takes the
     * build's non-member build scripts and proc macros only: a member's go through clippy-driver.
     */
    @Test
    void aFirstRecordCarriesOnTheHostToolsAnotherKindCompiled() throws Exception {
        BuildIdentity check = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members")
                .withKind(BuildIdentity.CHECK);
        BuildIdentity build = check.withKind(BuildIdentity.BUILD);
        MemoryRemote remote = new MemoryRemote();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey depScript = put(store, tmp, key("build_script_build", "d"), Map.of("package", "dep"),
                    "build_script_build-5d", "build_script_build-5d.d");
            ArtifactKey coreScript = put(store, tmp, key("build_script_build", "c"), Map.of("package", "core-lib"),
                    "build_script_build-6c", "build_script_build-6c.d");
            ArtifactKey macros = put(store, tmp, key("macros", "m"), Map.of("package", "macros"),
                    "libmacros-7m.so", "macros-7m.d");
            ArtifactKey dep = put(store, tmp, key("dep", "c"), "libdep-0c.rmeta", "dep-0c.d");
            ArtifactKey coreCheck = put(store, tmp, key("core_lib", "c"), "libcore_lib-1c.rmeta", "core_lib-1c.d");
            ArtifactKey coreRlib = put(store, tmp, key("core_lib", "1"), "libcore_lib-1a.rlib", "libcore_lib-1a.rmeta",
                    "core_lib-1a.d");
            RecordWriter.write(remote, new BuildRecord(1, "cargo-check", check,
                    new LinkedHashSet<>(List.of(depScript, coreScript, macros, dep, coreCheck))));

            ProjectCrates.Workspace ws = membersWorkspace();
            ProjectCrates.Workspace withScripts = new ProjectCrates.Workspace(ws.root(), ws.targetDirectory(),
                    Set.of("app", "core_lib", "build_script_build"), ws.memberPackages());
            BuildRecord built = PreviousRecords.withPrevious(remote, new BuildRecord(2, "cargo-build", build,
                    Set.of(coreRlib)), store, withScripts, n -> { });
            assertEquals(List.of(depScript, coreScript, macros, coreRlib), List.copyOf(built.entries()));

            // Only the build's record is left to a clippy: the member core-lib's build script stays out.
            MemoryRemote buildOnly = new MemoryRemote();
            RecordWriter.write(buildOnly, built);
            ArtifactKey coreClippy = put(store, tmp, key("core_lib", "y"), "libcore_lib-1y.rmeta", "core_lib-1y.d");
            BuildRecord clippied = PreviousRecords.withPrevious(buildOnly, new BuildRecord(3, "cargo-clippy",
                    check.withKind(BuildIdentity.CLIPPY), Set.of(coreClippy)), store, withScripts, n -> { });
            assertEquals(List.of(depScript, macros, coreClippy), List.copyOf(clippied.entries()));
        }
    }

    @Test
    void theKindOfACargoCommandLine() {
        assertEquals(Optional.of(BuildIdentity.CHECK), BuildKinds.ofCommand(List.of("cargo", "check")));
        assertEquals(Optional.of(BuildIdentity.CLIPPY), BuildKinds.ofCommand(
                List.of("/x/cargo", "--config", "build.jobs=2", "-q", "clippy", "--", "-D", "warnings")));
        assertEquals(Optional.of(BuildIdentity.CHECK), BuildKinds.ofCommand(List.of("cargo", "doc")));
        assertEquals(Optional.of(BuildIdentity.BUILD), BuildKinds.ofCommand(
                List.of("cargo", "-C", "check", "test", "-p", "check")));
        assertEquals(Optional.of(BuildIdentity.BUILD), BuildKinds.ofCommand(List.of("cargo", "b", "--release")));
        assertEquals(Optional.of(BuildIdentity.CHECK), BuildKinds.ofCommand(List.of("cargo", "hack", "check")));
        assertEquals(Optional.empty(), BuildKinds.ofCommand(List.of("cargo", "metadata")));
    }
}
