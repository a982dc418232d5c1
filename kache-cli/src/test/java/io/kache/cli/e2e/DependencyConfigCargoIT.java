package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project's {@code .kache.toml} applies to the whole build, its dependencies outside the workspace
 * root too: cargo compiles a path dependency {@code ../extdep} (as every registry crate) from that
 * package's own directory, where the project's file is not above. The dependency carries a
 * {@code .kache.toml} of its own, as a checked-out repository may: the build's wins.
 */
class DependencyConfigCargoIT {

    @TempDir
    Path tmp;
    SpyRustc spy;
    Path projectStore;
    Path dependencyStore;
    Path defaultStore;

    @BeforeEach
    void setUp() throws Exception {
        spy = SpyRustc.create(tmp.resolve("spy"));
        projectStore = tmp.resolve("store-project");
        dependencyStore = tmp.resolve("store-extdep");
        defaultStore = tmp.resolve("xdg-cache/kache");
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        KacheLauncher.awaitOwnServer(tmp);
    }

    @Test
    void aPathDependencyOutsideTheWorkspaceIsStoredWhereTheProjectsConfigSays() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        Path project = writeProject();

        build(project, kache, Map.of());

        assertEquals(1, entries(projectStore, "extdep"), "the dependency's entry is in the project's store");
        assertEquals(1, entries(projectStore, "app"));
        assertEquals(0, entries(defaultStore, "extdep"), "not in the default store");
        assertEquals(0, entries(dependencyStore, "extdep"), "not where the dependency's own file says");
    }

    /** A target dir outside the project: the build is found by the directory cargo runs in, the server's client's parent. */
    @Test
    void withTheTargetDirElsewhereTheServerFindsTheBuildByCargosDirectory() throws Exception {
        Path kache = KacheLauncher.repositoryLauncher();
        Path project = writeProject();
        Map<String, String> env = new HashMap<>(KacheLauncher.ownServer(tmp));
        env.put("CARGO_TARGET_DIR", tmp.resolve("shared-target").toString());

        build(project, kache, env);

        assertEquals(1, entries(projectStore, "extdep"), "the dependency's entry is in the project's store");
        assertEquals(0, entries(defaultStore, "extdep"), "not in the default store");
        assertEquals(0, entries(dependencyStore, "extdep"), "not where the dependency's own file says");
    }

    /**
     * {@code cargo build --manifest-path project/Cargo.toml} from a directory above the project with a
     * {@code .kache.toml} of its own (a monorepo's root): the dependency takes the project's file, as
     * the members do (found by a hunt: it took the root's, and a project's key_env_vars or
     * bypass_crates was ignored for it).
     */
    @Test
    void aBuildGivenItsManifestFromAboveTheProjectTakesTheProjectsConfig() throws Exception {
        Path kache = KacheLauncher.repositoryLauncher();
        Path project = writeProject();
        write(tmp.resolve(".kache.toml"), "[cache]\nlocal_store = \"" + tmp.resolve("store-root") + "\"\n");

        build(tmp, kache, KacheLauncher.ownServer(tmp), "--manifest-path", "project/Cargo.toml");

        assertEquals(1, entries(projectStore, "extdep"), "the dependency's entry is in the project's store");
        assertEquals(0, entries(tmp.resolve("store-root"), "extdep"), "not in the store of the directory cargo ran in");
    }

    /**
     * The uploader a dependency's miss starts sends to the project's remote: it ran in the dependency's
     * directory and read the dependency's file (no remote, or another), and its start mark then kept
     * the project's calls from starting one.
     */
    @Test
    void aPathDependencysEntryIsWrittenBackToTheProjectsRemote() throws Exception {
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        Path projectRemote = Files.createDirectories(tmp.resolve("remote-project"));
        Path dependencyRemote = Files.createDirectories(tmp.resolve("remote-extdep"));
        Path project = writeProject(filesystemRemote(projectRemote), filesystemRemote(dependencyRemote));

        build(project, kache, Map.of());

        Deadline.in(Duration.ofSeconds(90)).await("the dependency's entry in the project's remote",
                () -> !SharedStoreCargoIT.packsUnder(projectRemote.resolve("team/extdep")).isEmpty());
        Deadline.in(Duration.ofSeconds(30)).await("the member's entry in the project's remote",
                () -> !SharedStoreCargoIT.packsUnder(projectRemote.resolve("team/app")).isEmpty());
        assertEquals(List.of(), SharedStoreCargoIT.packsUnder(dependencyRemote), "nothing where the dependency's own file says");
    }

    private static String filesystemRemote(Path dir) {
        return "[cache.remote]\ntype = \"filesystem\"\npath = \"" + dir + "\"\nprefix = \"team\"\n";
    }

    private Path writeProject() throws IOException {
        return writeProject("", "");
    }

    /** @param projectToml, dependencyToml more of each {@code .kache.toml}, after its {@code [cache]} table */
    private Path writeProject(String projectToml, String dependencyToml) throws IOException {
        Path project = tmp.resolve("project");
        Path extdep = tmp.resolve("extdep");
        write(project.resolve("Cargo.toml"), "[workspace]\nmembers = [\"app\"]\nresolver = \"2\"\n");
        write(project.resolve(".kache.toml"), "[cache]\nlocal_store = \"" + projectStore + "\"\n" + projectToml);
        write(project.resolve("app/Cargo.toml"),
                SmallWorkspace.manifest("app", "[dependencies]\nextdep = { path = \"../../extdep\" }\n"));
        write(project.resolve("app/src/main.rs"), "fn main() { println!(\"{}\", extdep::answer()); }\n");
        write(extdep.resolve("Cargo.toml"), SmallWorkspace.manifest("extdep", ""));
        write(extdep.resolve(".kache.toml"), "[cache]\nlocal_store = \"" + dependencyStore + "\"\n"
                + dependencyToml);
        write(extdep.resolve("src/lib.rs"), "pub fn answer() -> u32 { 42 }\n");
        return project;
    }

    /** {@code cargo build ARGS} in {@code dir} through {@code kache}, with {@code extra} in its environment. */
    private void build(Path dir, Path kache, Map<String, String> extra, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("RUSTC_WRAPPER", kache.toString());
        env.put("RUSTC", spy.path().toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg-config")).toString());
        env.put("CARGO_TERM_COLOR", "never");
        // The store and the file come from the project's .kache.toml alone.
        List<String> command = new ArrayList<>(List.of("cargo", "build"));
        command.addAll(List.of(args));
        CargoRun.run(dir, env, Set.of("KACHE_CACHE_DIR", "KACHE_CONFIG"), command.toArray(String[]::new))
                .assertOk("build through kache");
        assertEquals(List.of("app", "extdep"), spy.takeCompiled().stream().sorted().toList());
    }

    private static long entries(Path store, String crate) throws IOException {
        if (!Files.isDirectory(store)) {
            return 0;
        }
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            List<EntryInfo> found = s.list(Optional.of(crate));
            return found.size();
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
