package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.Invocation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a call's search for {@code .kache.toml} starts, with the directories cargo lays out: a
 * workspace with its target dir ({@code CACHEDIR.TAG}), and a path dependency beside it, outside
 * the workspace root, which cargo compiles from the dependency's own directory.
 */
class BuildConfigSearchTest {

    @TempDir
    Path tmp;
    Path ws;
    Path ext;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        ws = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(ws.resolve("Cargo.toml"), "[workspace]\nmembers = [\"app\"]\n");
        Files.createDirectories(ws.resolve("target/debug/deps"));
        Files.writeString(ws.resolve("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        ext = Files.createDirectories(tmp.resolve("ext"));
        Files.writeString(ext.resolve("Cargo.toml"), "[package]\nname = \"ext\"\n");
    }

    @AfterEach
    void stopStarted() throws InterruptedException {
        for (Process p : started) {
            // The "wrapper" is the shell's child: ended first, or it outlives the test by its minute.
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void aMembersCallSearchesFromItsWorkingDirectoryAlone() {
        Invocation inv = call(ws, "app/src/main.rs", ws.resolve("target/debug/deps"), OptionalLong.empty());
        assertEquals(List.of(ws), BuildConfigSearch.of(inv));
    }

    @Test
    void aDependencyOutsideTheWorkspaceSearchesFromTheTargetDirsProjectFirst() throws IOException {
        Invocation inv = call(ext, ext.resolve("src/lib.rs").toString(), ws.resolve("target/debug/deps"),
                OptionalLong.empty());
        List<Path> starts = BuildConfigSearch.of(inv);
        assertEquals(ws, starts.get(0));
        assertEquals(ext, starts.get(starts.size() - 1), "its own directory last");
    }

    @Test
    void aTargetDirOutsideTheProjectGivesWayToCargosWorkingDirectory() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("shared-target/debug/deps"));
        Files.writeString(tmp.resolve("shared-target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        // The wrapper (kache-client, in the server's case) is the child of a cargo that runs in ws.
        long wrapper = wrapperOfAProcessIn(ws);
        Invocation inv = call(ext, ext.resolve("src/lib.rs").toString(), target, OptionalLong.of(wrapper));
        assertEquals(List.of(ws, ext), BuildConfigSearch.of(inv), "tmp, the target dir's parent, holds no Cargo.toml");
    }

    /**
     * {@code CARGO_TARGET_DIR=/repo/target} while cargo builds {@code /repo/tools/x}: the dependencies
     * search from where cargo runs, as the members do, before the target dir's parent, another
     * project. They took {@code /repo}'s {@code .kache.toml}, the members {@code tools/x}'s.
     */
    @Test
    void cargosWorkingDirectoryComesBeforeATargetDirInAnotherProject() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.writeString(repo.resolve("Cargo.toml"), "[workspace]\nmembers = []\n");
        Path target = Files.createDirectories(repo.resolve("target/debug/deps"));
        Files.writeString(repo.resolve("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        Path x = Files.createDirectories(repo.resolve("tools/x"));
        Files.writeString(x.resolve("Cargo.toml"), "[package]\nname = \"x\"\n");
        Path cargo = Files.createSymbolicLink(tmp.resolve("cargo"), Path.of("/bin/sh"));
        long wrapper = wrapperOf(cargo, x);
        Invocation inv = call(ext, ext.resolve("src/lib.rs").toString(), target, OptionalLong.of(wrapper));
        assertEquals(List.of(x, repo, ext), BuildConfigSearch.of(inv));
    }

    /**
     * {@code cargo build --manifest-path gen/Cargo.toml} from a monorepo's root that has a
     * {@code .kache.toml} of its own: the dependencies search from the manifest's directory first,
     * as the members do (found by a hunt: they took the root's file, and a key_env_vars of the
     * project's was ignored for them).
     */
    @Test
    void theManifestCargoIsGivenComesBeforeCargosWorkingDirectory() throws IOException {
        Path mono = Files.createDirectories(tmp.resolve("mono"));
        Path gen = Files.createDirectories(mono.resolve("gen"));
        Path target = Files.createDirectories(tmp.resolve("shared-target/debug/deps"));
        Files.writeString(tmp.resolve("shared-target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        Path cargo = Files.createSymbolicLink(tmp.resolve("cargo"), Path.of("/bin/sh"));
        long wrapper = wrapperOf(cargo, mono, "build", "--manifest-path", "gen/Cargo.toml");
        Invocation inv = call(ext, ext.resolve("src/lib.rs").toString(), target, OptionalLong.of(wrapper));
        assertEquals(List.of(gen, mono, ext), BuildConfigSearch.of(inv));
    }

    @Test
    void theManifestIsReadFromCargosCommandLine() throws IOException {
        Path cwd = Path.of("/work/mono");
        assertEquals(Optional.of(Path.of("/work/mono/gen")), manifestOf(cwd, "cargo", "build", "--manifest-path", "gen/Cargo.toml"));
        assertEquals(Optional.of(Path.of("/abs/gen")), manifestOf(cwd, "cargo", "test", "--manifest-path=/abs/gen/Cargo.toml"));
        assertEquals(Optional.of(Path.of("/work/mono/tool")), manifestOf(cwd, "cargo", "install", "--path", "tool"));
        assertEquals(Optional.of(Path.of("/work/tool")), manifestOf(cwd, "cargo", "install", "--path=../tool", "--root", "x"));
        assertEquals(Optional.empty(), manifestOf(cwd, "cargo", "add", "--path", "../dep"), "only install builds --path");
        assertEquals(Optional.empty(), manifestOf(cwd, "cargo", "run", "--", "--manifest-path", "x/Cargo.toml"),
                "the program's own arguments");
        assertEquals(Optional.empty(), manifestOf(cwd, "cargo", "build"));
    }

    private Optional<Path> manifestOf(Path cwd, String... argv) throws IOException {
        Path cmdline = tmp.resolve("cmdline");
        Files.write(cmdline, (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
        return BuildConfigSearch.manifestDirectory(cmdline, cwd);
    }

    @Test
    void aGoneWrapperProcessIsSkipped() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path target = Files.createDirectories(tmp.resolve("shared-target/debug/deps"));
        Files.writeString(tmp.resolve("shared-target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n");
        Invocation inv = call(ext, ext.resolve("src/lib.rs").toString(), target, OptionalLong.of(gone.pid()));
        assertEquals(List.of(ext), BuildConfigSearch.of(inv));
    }

    /** The pid of a process whose parent (a shell, not cargo) runs in {@code dir}. */
    private long wrapperOfAProcessIn(Path dir) throws IOException {
        return wrapperOf(Path.of("sh"), dir);
    }

    /**
     * The pid of a process whose parent, the shell {@code runner} (named cargo or not), runs in
     * {@code dir}, with {@code args} after its script on its command line.
     */
    private long wrapperOf(Path runner, Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(runner.toString(), "-c", "sleep 60 & echo $!; wait"));
        command.addAll(List.of(args));
        Process cargo = new ProcessBuilder(command).directory(dir.toFile()).start();
        started.add(cargo);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(cargo.getInputStream(), StandardCharsets.UTF_8))) {
            return Long.parseLong(out.readLine().trim());
        }
    }

    private static Invocation call(Path cwd, String source, Path outDir, OptionalLong client) {
        List<String> args = List.of("rustc", "--crate-name", "x", "--edition=2021", source, "--crate-type", "lib",
                "--emit=dep-info,metadata,link", "--out-dir", outDir.toString());
        PrintStream sink = new PrintStream(PrintStream.nullOutputStream());
        return new Invocation(args, Map.of(), cwd, InputStream.nullInputStream(), sink, sink, client);
    }
}
