package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.hash.Sha256;
import io.kache.core.journal.BuildEvent;
import io.kache.core.journal.WorkspaceSide;
import io.kache.core.sync.cargo.CargoPackage;
import io.kache.core.sync.cargo.FeatureRequest;
import io.kache.core.sync.cargo.ProjectCrates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildFeaturesTest {

    private static CargoPackage member(String name, String crate, Map<String, List<String>> features,
                                       CargoPackage.Dependency... deps) {
        return new CargoPackage(name, true, List.of(new CargoPackage.Target(crate, List.of("lib")),
                new CargoPackage.Target("build-script-build", List.of("custom-build"))), features, List.of(deps));
    }

    private static final ProjectCrates.Workspace DEMO = new ProjectCrates.Workspace(Path.of("/w"), Path.of("/w/target"),
            Set.of("app", "core_lib", "macros", "build_script_build"), List.of(
                    member("app", "app", Map.of("shout", List.of("core-lib/shout")),
                            new CargoPackage.Dependency("core-lib", Optional.empty(), "normal", false, true, List.of())),
                    member("core-lib", "core_lib", Map.of("default", List.of(), "shout", List.of())),
                    member("macros", "macros", Map.of())));

    private static BuildEvent call(String crate, String kind, String features) {
        return new BuildEvent(1, "b", new WorkspaceSide("/w/target", "debug", "host", "t", "none"), crate, kind, "-",
                BuildEvent.Outcome.HIT, "", 0, 0, 0, 0, features);
    }

    @Test
    void whatABuildShowsAndWhatAPullWorksOutFromTheSameOptionsAgree() {
        List<BuildEvent> plain = List.of(call("app", "bin", "-"), call("core_lib", "lib", "default"),
                call("build_script_build", "build-script", "default"), call("macros", "proc-macro", "-"),
                call("serde", "lib", "derive,std"));
        assertEquals(BuildIdentity.DEFAULT_FEATURES, BuildFeatures.observed(DEMO, plain));
        assertEquals(BuildIdentity.DEFAULT_FEATURES, BuildFeatures.requested(DEMO, FeatureRequest.DEFAULT));
        assertEquals(BuildIdentity.DEFAULT_FEATURES, BuildFeatures.observed(DEMO, plain.subList(1, 2)),
                "a build of some members with their defaults is a default build");

        List<BuildEvent> shout = List.of(call("app", "bin", "shout"), call("core_lib", "lib", "default,shout"),
                call("build_script_build", "build-script", "default,shout"), call("macros", "proc-macro", "-"));
        String observed = BuildFeatures.observed(DEMO, shout);
        assertNotEquals(BuildIdentity.DEFAULT_FEATURES, observed);
        assertEquals(observed, BuildFeatures.requested(DEMO, new FeatureRequest(List.of("app/shout"), false, false)));
        assertEquals(observed, BuildFeatures.requested(DEMO, new FeatureRequest(List.of(), true, false)));

        List<BuildEvent> unknown = List.of(new BuildEvent(1, "b", new WorkspaceSide("/w/target", "debug", "host", "t",
                "none"), "core_lib", "lib", "-", BuildEvent.Outcome.HIT, "", 0, 0, 0, 0));
        assertEquals(BuildIdentity.DEFAULT_FEATURES, BuildFeatures.observed(DEMO, unknown),
                "calls journaled before features were noted count as defaults");
        assertEquals(BuildIdentity.DEFAULT_FEATURES, BuildFeatures.requested(
                new ProjectCrates.Workspace(Path.of("/w"), Path.of("/w/target"), Set.of("app")),
                new FeatureRequest(List.of("x"), false, false)), "no manifests known: no features part");
    }

    @Test
    void aDefaultFeatureIdentityKeepsTheSlotsOfRecordsWrittenBeforeFeaturesCountedAndOthersGetTheirOwn() throws Exception {
        BuildIdentity plain = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members");
        // The formulas of kache-build-record-1 before features were part of the identity.
        assertEquals(Sha256.of(("kache-build-record-1\nexact\ntc\nhost\ndebug\nnone\nlock1\nmembers")
                .getBytes(StandardCharsets.UTF_8)).substring(0, 32), plain.exactSlot());
        assertEquals(Sha256.of(("kache-build-record-1\nline\ntc\nhost\ndebug\nnone\nmembers")
                .getBytes(StandardCharsets.UTF_8)).substring(0, 32), plain.lineSlot());
        BuildIdentity shout = plain.withFeatures("0123456789abcdef");
        assertNotEquals(plain.exactSlot(), shout.exactSlot());
        assertNotEquals(plain.lineSlot(), shout.lineSlot());
        assertTrue(!shout.sameLine(plain) && !plain.sameLine(shout));

        String old = "{\"format\":\"kache-build-record-1\",\"created\":1,\"build\":\"b\",\"identity\":{\"toolchain\":"
                + "\"tc\",\"target\":\"host\",\"profile\":\"debug\",\"rustflags\":\"none\",\"lock\":\"lock1\","
                + "\"members\":\"members\"},\"entries\":[]}";
        assertEquals(plain.withKind(BuildIdentity.UNKNOWN), BuildRecord.decode(old.getBytes(StandardCharsets.UTF_8)).identity(),
                "a record without the features field is a default-features build's");
        BuildRecord r = new BuildRecord(2, "b", shout, Set.of());
        assertEquals(shout, BuildRecord.decode(r.encode()).identity());
    }

    @Test
    void thePrefetchTellsTheFeaturesFromTheRunningCargoCommandLine(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(Path.of("/proc/self")),
                "needs /proc (Linux)");
        ProjectCrates.Workspace ws = workspaceIn(tmp);
        WorkspaceSide side = sideIn(tmp);
        try (FakeCargo cargo = FakeCargo.running("build", "--features", "app/shout")) {
            BuildIdentity id = BuildIdentities.identityOf(side, ws, Map.of(), cargo.build());
            assertEquals(BuildFeatures.requested(ws, new FeatureRequest(List.of("app/shout"), false, false)),
                    id.features());
            assertNotEquals(BuildIdentity.DEFAULT_FEATURES, id.features());
            assertEquals(BuildIdentity.DEFAULT_FEATURES, BuildIdentities.identityOf(side, ws, Map.of(),
                    cargo.process().pid() + "-1").features(), "another process under that pid: the defaults");
            assertEquals(BuildIdentity.DEFAULT_FEATURES,
                    BuildIdentities.identityOf(side, ws, Map.of(), "ci-job-7").features(), "an explicit build id: the defaults");
        }
    }

    /**
     * cargo clippy runs its build as a {@code cargo check} with {@code CLIPPY_ARGS} set: the calls'
     * cargo shows a check, and the prefetch must read the clippy's record, not the check's.
     */
    @Test
    void thePrefetchTellsACargoClippyFromTheCargoCheckItRuns(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(Path.of("/proc/self")),
                "needs /proc (Linux)");
        ProjectCrates.Workspace ws = workspaceIn(tmp);
        WorkspaceSide side = sideIn(tmp);
        try (FakeCargo cargo = FakeCargo.running("check", "--all-targets")) {
            assertEquals(BuildIdentity.CHECK, BuildIdentities.identityOf(side, ws, Map.of(), cargo.build()).kind());
            Map<String, String> clippy = Map.of("CLIPPY_ARGS", "", "RUSTC_WORKSPACE_WRAPPER", "/t/clippy-driver");
            assertEquals(BuildIdentity.CLIPPY, BuildIdentities.identityOf(side, ws, clippy, cargo.build()).kind());
            assertEquals(BuildIdentity.CLIPPY, BuildIdentities.identityOf(side, ws, clippy, "ci-job-7",
                    java.util.Set.of("dep-info", "metadata")).kind(), "an explicit build id too");
        }
    }

    private static ProjectCrates.Workspace workspaceIn(Path tmp) {
        return new ProjectCrates.Workspace(tmp, tmp.resolve("target"), DEMO.members(), DEMO.memberPackages());
    }

    private static WorkspaceSide sideIn(Path tmp) {
        return new WorkspaceSide(tmp.resolve("target").toString(), "debug", "host", "tc", "none");
    }

    /** A process whose command line is a cargo command's, and its build id (pid and start ticks). */
    private record FakeCargo(Process process, String build) implements AutoCloseable {
        static FakeCargo running(String... cargoArgs) throws java.io.IOException {
            // sh cannot exec its last command: two of them, so the process stays this command line.
            List<String> command = new java.util.ArrayList<>(List.of("sh", "-c", "sleep 60; true", "cargo"));
            command.addAll(List.of(cargoArgs));
            Process p = new ProcessBuilder(command).start();
            String stat = java.nio.file.Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            return new FakeCargo(p, p.pid() + "-" + stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
