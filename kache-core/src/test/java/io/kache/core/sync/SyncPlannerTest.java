package io.kache.core.sync;

import static io.kache.core.sync.SyncFixtures.QUICK_RETRY;
import static io.kache.core.sync.SyncFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreUnavailableException;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.CargoPackage;
import io.kache.core.sync.cargo.ProjectCrates;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncPlannerTest {

    @TempDir
    Path tmp;
    ScriptedStore remote;
    LocalStore other;
    LocalStore local;

    @BeforeEach
    void setUp() throws Exception {
        remote = new ScriptedStore();
        other = LocalStore.open(tmp.resolve("other"), 1L << 30);
        local = LocalStore.open(tmp.resolve("local"), 1L << 30);
    }

    @AfterEach
    void tearDown() throws Exception {
        other.close();
        local.close();
    }

    private SyncPlanner planner() {
        return new SyncPlanner(remote, local, 4, QUICK_RETRY);
    }

    private static ProjectCrates crates(Set<String> pull, Set<String> push) {
        return new ProjectCrates(Optional.of(pull), Optional.of(push), List.of());
    }

    private static List<ArtifactKey> keys(List<Transfer> transfers) {
        return transfers.stream().map(Transfer::key).toList();
    }

    @Test
    void pullsTheProjectsRemoteEntriesTheLocalStoreLacks() throws Exception {
        ArtifactKey a1 = SyncFixtures.upload(other, tmp, remote, key("serde", "1"), 100);
        ArtifactKey a2 = SyncFixtures.upload(other, tmp, remote, key("serde", "2"), 100);
        SyncFixtures.upload(other, tmp, remote, key("serde_json", "3"), 100);
        SyncFixtures.upload(other, tmp, remote, key("tokio", "4"), 100);
        SyncFixtures.put(local, tmp.resolve("l"), a2, 100);

        SyncPlan plan = planner().plan(crates(Set.of("serde", "anyhow"), Set.of()), true, false);

        assertEquals(List.of(a1), keys(plan.pulls()));
        assertEquals(List.of(), plan.pushes());
        assertEquals(Set.of("serde", "anyhow"), new TreeSet<>(remote.listed), "one LIST per wanted crate");
        assertEquals(2, remote.listed.size());
        assertEquals(0, remote.listAllCalls.get());
    }

    @Test
    void withoutALockFileEverythingIsPulledWithOneListing() throws Exception {
        ArtifactKey a = SyncFixtures.upload(other, tmp, remote, key("serde", "1"), 100);
        ArtifactKey b = SyncFixtures.upload(other, tmp, remote, key("tokio", "2"), 100);
        SyncPlan plan = planner().plan(ProjectCrates.everything(), true, false);
        assertEquals(List.of(a, b), keys(plan.pulls()));
        assertEquals(1, remote.listAllCalls.get());
        assertEquals(List.of(), remote.listed);
    }

    @Test
    void pushesOnlyTheMembersEntriesTheRemoteLacks() throws Exception {
        ArtifactKey mine = SyncFixtures.put(local, tmp, key("app", "1"), 100);
        ArtifactKey already = SyncFixtures.upload(local, tmp, remote, key("app", "2"), 100);
        SyncFixtures.put(local, tmp, key("serde", "3"), 100);

        SyncPlan plan = planner().plan(crates(Set.of(), Set.of("app", "app_tests")), false, true);

        assertEquals(List.of(mine), keys(plan.pushes()));
        assertTrue(plan.pushes().get(0).size() > 100, "a push knows its entry's size");
        assertEquals(List.of("app"), remote.listed, "only crates with local entries are listed for a push");
        assertTrue(remote.contains(already));
    }

    /** A workspace whose one member, package {@code proj_a}, has a lib and a build script. */
    private ProjectCrates workspaceA() {
        ProjectCrates.Workspace ws = new ProjectCrates.Workspace(tmp.resolve("wsa"), tmp.resolve("wsa/target"),
                Set.of("proj_a", ProjectCrates.BUILD_SCRIPT), List.of(new CargoPackage("proj_a", true, List.of())));
        return new ProjectCrates(Optional.of(Set.of()), Optional.of(Set.of("proj_a", ProjectCrates.BUILD_SCRIPT)),
                List.of(), Optional.of(ws));
    }

    @Test
    void anotherProjectsBuildScriptInTheSameStoreIsNotPushed() throws Exception {
        // Both projects have a build.rs: both scripts' crate is build_script_build, only the package differs.
        ArtifactKey myScript = SyncFixtures.putOfPackage(local, tmp, key(ProjectCrates.BUILD_SCRIPT, "a"), "proj_a");
        ArtifactKey myLib = SyncFixtures.putOfPackage(local, tmp, key("proj_a", "a"), "proj_a");
        SyncFixtures.putOfPackage(local, tmp, key(ProjectCrates.BUILD_SCRIPT, "b"), "proj_b");
        SyncFixtures.put(local, tmp, key(ProjectCrates.BUILD_SCRIPT, "old"), 100); // an older kache's: no package

        SyncPlan plan = planner().plan(workspaceA(), false, true);

        assertEquals(Set.of(myScript, myLib), Set.copyOf(keys(plan.pushes())));
    }

    @Test
    void ofTheBuildRecordsCratesOnlyItsOwnEntriesArePushed() throws Exception {
        // The record names one serde and one build script of a dependency; other local entries of
        // those crates are other projects' or other builds' and stay local.
        ArtifactKey serdeUsed = SyncFixtures.putOfPackage(local, tmp, key("serde", "used"), "serde");
        SyncFixtures.putOfPackage(local, tmp, key("serde", "other build"), "serde");
        ArtifactKey depScript = SyncFixtures.putOfPackage(local, tmp, key(ProjectCrates.BUILD_SCRIPT, "dep"), "libc");
        SyncFixtures.putOfPackage(local, tmp, key(ProjectCrates.BUILD_SCRIPT, "b"), "proj_b");
        ArtifactKey gone = key("rand", "evicted");

        SyncPlan plan = planner().pushingAlso(Set.of(serdeUsed, depScript, gone)).plan(workspaceA(), false, true);

        assertEquals(Set.of(serdeUsed, depScript), Set.copyOf(keys(plan.pushes())));
    }

    @Test
    void withEveryCrateToPushTheRecordChangesNothing() throws Exception {
        ArtifactKey a = SyncFixtures.putOfPackage(local, tmp, key(ProjectCrates.BUILD_SCRIPT, "b"), "proj_b");
        ArtifactKey b = SyncFixtures.put(local, tmp, key("serde", "2"), 100);
        SyncPlan plan = planner().pushingAlso(Set.of(b)).plan(ProjectCrates.everything(), false, true);
        assertEquals(List.of(a, b), keys(plan.pushes()));
    }

    @Test
    void outsideAWorkspaceEveryLocalEntryIsPushed() throws Exception {
        ArtifactKey a = SyncFixtures.put(local, tmp, key("app", "1"), 100);
        ArtifactKey b = SyncFixtures.put(local, tmp, key("serde", "2"), 100);
        SyncPlan plan = planner().plan(new ProjectCrates(Optional.of(Set.of()), Optional.empty(), List.of()), false,
                true);
        assertEquals(List.of(a, b), keys(plan.pushes()));
    }

    @Test
    void aListingIsRetriedAndAFailedOneLeavesItsCrateOut() throws Exception {
        ArtifactKey serde = SyncFixtures.upload(other, tmp, remote, key("serde", "1"), 100);
        SyncFixtures.upload(other, tmp, remote, key("tokio", "2"), 100);
        SyncFixtures.put(local, tmp, key("tokio", "3"), 100);
        // Single-threaded listing so the scripted failures hit one crate: tokio comes last.
        StoreUnavailableException down = new StoreUnavailableException("503 SlowDown");
        SyncPlanner planner = new SyncPlanner(remote, local, 1, QUICK_RETRY);
        remote.failNext("list", new StoreUnavailableException("blip"));
        SyncPlan plan = planner.plan(crates(new TreeSet<>(Set.of("serde")), Set.of()), true, false);
        assertEquals(List.of(serde), keys(plan.pulls()), "a listing that failed once is retried");

        remote.listed.clear();
        SyncPlanner onePerCrate = new SyncPlanner(remote, local, 1, QUICK_RETRY);
        remote.failNext("list", down, down, down);
        plan = onePerCrate.plan(crates(Set.of("tokio"), Set.of("tokio")), true, true);
        assertEquals(List.of(), plan.pulls());
        assertEquals(List.of(), plan.pushes(), "nothing is pushed to a crate whose listing failed");
        assertEquals(1, plan.listingFailures().size());
        assertTrue(plan.listingFailures().get(0).contains("tokio"), plan.listingFailures().toString());
        assertEquals(3, remote.listed.size(), "three attempts");
    }

    @Test
    void aRefusedListingIsReportedOnceNotPerCrate() throws Exception {
        remote.failNext("list", new StoreAccessDeniedException("s3://bucket/artifacts", "ListObjectsV2", null, null));
        SyncPlan plan = new SyncPlanner(remote, local, 1, QUICK_RETRY)
                .plan(crates(new TreeSet<>(Set.of("anyhow", "serde", "tokio")), Set.of()), true, false);
        assertEquals(2, plan.listingFailures().size(), plan.listingFailures().toString());
        assertTrue(plan.listingFailures().get(0).startsWith("listing crate anyhow failed: access denied"),
                plan.listingFailures().get(0));
        assertEquals("2 more crates were not listed after the remote refused", plan.listingFailures().get(1));
        assertEquals(List.of("anyhow"), remote.listed, "no LIST after the refusal");
    }
}
