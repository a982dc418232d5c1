package io.kache.core.sync.cargo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real cargo on small path-only workspaces. */
class ProjectCratesTest {

    @TempDir
    Path tmp;
    Path ws;
    final Map<String, String> env = System.getenv();

    @BeforeEach
    void setUp() throws Exception {
        ws = tmp.resolve("ws");
        write(ws.resolve("Cargo.toml"), "[workspace]\nmembers = [\"app\", \"core-lib\"]\nresolver = \"2\"\n");
        write(ws.resolve("app/Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
                + "[dependencies]\ncore-lib = { path = \"../core-lib\" }\nfoo-bar = { path = \"../../vendor/foo-bar\" }\n");
        write(ws.resolve("app/src/main.rs"), "fn main() {}\n");
        write(ws.resolve("app/tests/it-check.rs"), "#[test]\nfn t() {}\n");
        write(ws.resolve("core-lib/Cargo.toml"), "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        write(ws.resolve("core-lib/build.rs"), "fn main() {}\n");
        write(ws.resolve("core-lib/src/lib.rs"), "\n");
        // A dependency outside the workspace whose library is renamed: its crate is `fb`, not `foo_bar`.
        write(tmp.resolve("vendor/foo-bar/Cargo.toml"), "[package]\nname = \"foo-bar\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\n\n[lib]\nname = \"fb\"\n");
        write(tmp.resolve("vendor/foo-bar/src/lib.rs"), "\n");
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void lock() throws Exception {
        Process p = new ProcessBuilder("cargo", "generate-lockfile", "--offline").directory(ws.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, out);
    }

    @Test
    void pullCoversTheLockTheMembersTargetsAndRenamedLibsPushOnlyTheMembers() throws Exception {
        lock();
        ProjectCrates crates = ProjectCrates.discover(ws.resolve("app"), Optional.empty(), env);
        assertEquals(Optional.of(Set.of("app", "core_lib", "foo_bar", "fb", "it_check", "build_script_build")),
                crates.pull());
        assertEquals(Optional.of(Set.of("app", "core_lib", "it_check", "build_script_build")), crates.push());
        assertEquals(List.of(), crates.notes());
    }

    @Test
    void manifestPathSelectsTheWorkspaceFromElsewhere() throws Exception {
        lock();
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        ProjectCrates crates = ProjectCrates.discover(elsewhere, Optional.of(Path.of("../ws/Cargo.toml")), env);
        assertEquals(Optional.of(Set.of("app", "core_lib", "it_check", "build_script_build")), crates.push());
        assertTrue(crates.pull().orElseThrow().contains("fb"));

        IOException missing = assertThrows(IOException.class,
                () -> ProjectCrates.discover(elsewhere, Optional.of(Path.of("nope/Cargo.toml")), env));
        assertTrue(missing.getMessage().contains("--manifest-path"), missing.getMessage());
    }

    @Test
    void withoutALockFileEverythingIsPulledAndNoLockFileIsWritten() throws Exception {
        ProjectCrates crates = ProjectCrates.discover(ws, Optional.empty(), env);
        assertEquals(Optional.empty(), crates.pull());
        assertTrue(crates.notes().get(0).startsWith("no Cargo.lock"), crates.notes().toString());
        assertEquals(Optional.of(Set.of("app", "core_lib", "it_check", "build_script_build")), crates.push());
        assertFalse(Files.exists(ws.resolve("Cargo.lock")), "discovery never writes the user's lock file");
    }

    @Test
    void outsideAProjectEverythingIsPushed() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        ProjectCrates crates = ProjectCrates.discover(plain, Optional.empty(), env);
        assertEquals(Optional.empty(), crates.push());
        assertEquals(Optional.empty(), crates.pull());
        assertTrue(crates.notes().stream().anyMatch(n -> n.startsWith("not in a cargo project")), crates.notes().toString());
    }

    @Test
    void whenTheFullGraphIsUnknownOfflineTheLockStillDecidesWithANote() throws Exception {
        write(ws.resolve("core-lib/Cargo.toml"), "[package]\nname = \"core-lib\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\n\n[dependencies]\nserde = \"1\"\n");
        write(ws.resolve("Cargo.lock"), "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n"
                + "[[package]]\nname = \"core-lib\"\nversion = \"0.1.0\"\ndependencies = [\n \"serde\",\n]\n\n"
                + "[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\n"
                + "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
                + "checksum = \"ddc6f9cc94d67c0e21aaf7eda3a010fd3af78ebf6e096aa6e2e13c79749cce4f\"\n");
        ProjectCrates crates = ProjectCrates.discover(ws, Optional.empty(), env);
        Set<String> pull = crates.pull().orElseThrow();
        assertTrue(pull.containsAll(Set.of("app", "core_lib", "serde", "build_script_build", "it_check")), pull.toString());
        assertTrue(crates.notes().stream().anyMatch(n -> n.contains("--offline") && n.contains("[lib] name")),
                crates.notes().toString());
    }
}
