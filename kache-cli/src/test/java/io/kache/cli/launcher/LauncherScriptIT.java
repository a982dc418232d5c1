package io.kache.cli.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The repository's {@code bin/kache}, run as users run it: from elsewhere, through symlinks, from
 * a root with a space in its path, and unbuilt. Needs the packaged jar and {@code target/lib}, which
 * exist by the integration-test phase.
 */
class LauncherScriptIT {

    /** Awkward arguments: spaces, quotes, an empty one, shell metacharacters, a glob. */
    private static final List<String> AWKWARD = List.of("a b", "\"double\"", "it's", "", "$HOME", "*", "back\\slash",
            "tab\there", "--flag=x y");

    private static Path repo;
    private static Path launcher;
    private static String version;

    @TempDir
    Path tmp;
    private Map<String, String> env;
    private final List<Path> links = new ArrayList<>();

    @BeforeAll
    static void findTheBuild() throws IOException {
        Path module = Path.of(System.getProperty("basedir")).toAbsolutePath();
        repo = module.getParent().toRealPath();
        launcher = repo.resolve("bin").resolve("kache");
        try (Stream<Path> files = Files.list(module.resolve("target"))) {
            String jar = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("kache-cli-.+\\.jar") && !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar")
                            && !n.endsWith("-tests.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no packaged kache-cli jar in " + module.resolve("target")));
            version = jar.substring("kache-cli-".length(), jar.length() - ".jar".length());
        }
    }

    @BeforeEach
    void quietEnvironment() throws IOException {
        env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("KACHE_"));
        // No config, store or user settings of the machine running the tests may leak in.
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg-config")).toString());
        env.put("XDG_CACHE_HOME", Files.createDirectories(tmp.resolve("xdg-cache")).toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // Wrapper-mode runs go through kache-client, which starts a server: keep it private and brief.
        // Owner-only, as kache-client requires of a server directory: any other and no server is used.
        env.put("KACHE_SERVER_DIR", Files.createDirectory(tmp.resolve("server"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toString());
        env.put("KACHE_SERVER_IDLE_MS", "5000");
    }

    // JUnit warns about every link out of its temp dir it cleans up; these are expected, so go first.
    // Then the servers the test's calls started, which could write there while JUnit deletes it.
    @AfterEach
    void removeLinksAndStopServers() throws IOException, InterruptedException {
        for (Path link : links) {
            Files.deleteIfExists(link);
        }
        io.kache.cli.e2e.KacheLauncher.stopProcessesOf(tmp);
    }

    @Test
    void versionFromAnotherDirectory() throws Exception {
        ScriptRun run = kache(launcher, "--version");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("kache " + version + " (commit "), run.toString());
        assertEquals("", run.err(), run.toString());
    }

    @Test
    void versionThroughAChainOfSymlinks() throws Exception {
        Path inner = link(Files.createDirectories(tmp.resolve("inner")).resolve("kache"), launcher);
        Path outer = link(Files.createDirectories(tmp.resolve("outer")).resolve("k"), inner);
        ScriptRun run = kache(outer, "--version");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("kache " + version + " (commit "), run.toString());
    }

    @Test
    void aBadOptionsExitCodePassesThroughUnchanged() throws Exception {
        Path link = link(tmp.resolve("kache"), launcher);
        for (Path script : List.of(launcher, link)) {
            ScriptRun run = kache(script, "--no-such-option");
            assertEquals(CommandLine.ExitCode.USAGE, run.exit(), script + ": " + run);
            assertTrue(run.err().startsWith("Unknown option: '--no-such-option'"), script + ": " + run);
            assertEquals("", run.out(), script + ": " + run);
        }
    }

    @Test
    void theCompilersExitCodeAndArgumentsPassThroughUnchanged() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tool chain"));
        Path rustc = executable(dir.resolve("rustc"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\nexit 42\n");
        env.put("KACHE_DISABLED", "1");
        List<String> args = new ArrayList<>(List.of(rustc.toString()));
        args.addAll(AWKWARD);
        ScriptRun run = kache(launcher, args.toArray(String[]::new));
        assertEquals(42, run.exit(), run.toString());
        assertEquals(String.join("\n", AWKWARD) + "\n", run.out(), run.toString());
    }

    @Test
    void aCompilerOfAnyNameIsWrappedByPathOrByNameOnPath() throws Exception {
        assertWrapsACompilerOfAnyName(launcher);
    }

    /** {@code wrapper} runs a compiler given by path or by name on PATH with every argument intact. */
    private void assertWrapsACompilerOfAnyName(Path wrapper) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("opt tools"));
        Path compiler = executable(dir.resolve("my-compiler"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\nexit 42\n");
        env.put("KACHE_DISABLED", "1");
        env.put("PATH", dir + ":" + env.get("PATH"));
        for (String named : List.of(compiler.toString(), "my-compiler")) {
            List<String> args = new ArrayList<>(List.of(named));
            args.addAll(AWKWARD);
            ScriptRun run = kache(wrapper, args.toArray(String[]::new));
            assertEquals(42, run.exit(), named + ": " + run);
            assertEquals(String.join("\n", AWKWARD) + "\n", run.out(), named + ": " + run);
            assertEquals("", run.err(), named + ": " + run);
        }
    }

    /** An executable named like each of kache's commands first on PATH. */
    private void decoyCommandsOnPath() throws Exception {
        Path decoys = Files.createDirectories(tmp.resolve("decoys"));
        for (String command : Main.COMMANDS) {
            executable(decoys.resolve(command), "#!/bin/sh\necho decoy ran\nexit 99\n");
        }
        env.put("PATH", decoys + ":" + env.get("PATH"));
    }

    @Test
    void kachesCommandsStayCommandsWhateverIsOnPath() throws Exception {
        decoyCommandsOnPath();
        Path unbuilt = copyLauncherTo(Files.createDirectories(tmp.resolve("unbuilt")));
        for (String command : Main.COMMANDS) {
            ScriptRun run = kache(launcher, command, "--help");
            assertEquals(0, run.exit(), command + ": " + run);
            assertTrue(run.out().contains("Usage: kache " + command), command + ": " + run);
            ScriptRun notBuilt = kache(unbuilt, command, "--help");
            assertEquals(127, notBuilt.exit(), command + ": " + notBuilt);
            assertTrue(notBuilt.err().startsWith("kache: not built yet; run"), command + ": " + notBuilt);
        }
    }

    /**
     * The native client as cargo's rustc-wrapper itself (what kache init sets up in a release
     * archive): it finds bin/kache and the jar beside it, wraps a compiler of any name, and hands
     * kache's own commands to bin/kache, whatever is on PATH.
     */
    @Test
    void theNativeClientAsTheWrapperWrapsCompilersAndHandsCommandsToTheLauncher() throws Exception {
        Path client = launcher.getParent().getParent().resolve("kache-cli/target/kache-client");
        Assumptions.assumeTrue(Files.isExecutable(client), "no C compiler built kache-client");
        decoyCommandsOnPath();
        assertWrapsACompilerOfAnyName(client);
        for (String command : List.of("stats", "help")) {
            ScriptRun run = kache(client, command, "--help");
            assertEquals(0, run.exit(), command + ": " + run);
            assertTrue(run.out().contains("Usage: kache " + command), command + ": " + run);
        }
        ScriptRun version = kache(client, "--version");
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.out().startsWith("kache "), version.toString());
    }

    /**
     * Calls that find no server at once (builds started together) start one server between them,
     * not a JVM each, and each is answered exactly as the compiler answers.
     */
    @Test
    void callsRacingAtTheStartStartOneServer() throws Exception {
        Path client = repo.resolve("kache-cli/target/kache-client");
        Assumptions.assumeTrue(Files.isExecutable(client), "no C compiler built kache-client");
        Path jar = repo.resolve("kache-cli/target/kache-cli-" + version + ".jar");
        Path starts = tmp.resolve("starts.log");
        Path counting = countingLauncher(starts);
        String rustc = toolchainRustc();
        String expected = new String(new ProcessBuilder(rustc, "-vV").start().getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        // Not there yet, as on a machine's first build: the calls make it, owner-only, as the server does.
        Path serverDir = tmp.resolve("own-server");
        env.put("KACHE_SERVER_DIR", serverDir.toString());
        List<Process> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ProcessBuilder pb = new ProcessBuilder(client.toString(), "--kache-launcher", counting.toString(),
                    jar.toString(), rustc, "-vV").directory(tmp.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            calls.add(pb.start());
        }
        for (Process p : calls) {
            assertEquals(expected, new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(0, p.waitFor());
        }
        io.kache.testkit.Deadline.in(java.time.Duration.ofSeconds(60)).await("the server to listen", () -> {
            try (Stream<Path> files = Files.list(serverDir)) {
                return files.anyMatch(f -> f.getFileName().toString().endsWith(".sock"));
            } catch (IOException e) {
                return false;
            }
        });
        assertEquals(List.of("start"), Files.readAllLines(starts), "one server started for the four calls");
        // No JVM of kache's writes a perf data file in /tmp: with /tmp full, the JVM's warning about it
        // went to stderr, where cargo stores it with rustc's output and replays it ever after.
        long server = ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a)
                .contains(serverDir.toString())).orElse(false)).findFirst().orElseThrow().pid();
        Path perfData = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"));   // HotSpot's own, whatever java.io.tmpdir says
        assertFalse(Files.exists(perfData.resolve(Long.toString(server))), "the server wrote " + perfData + "/" + server);
        try (Stream<Path> files = Files.list(serverDir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".starting")),
                    "the server removed the client's mark of its start");
        }
    }

    /**
     * cargo's probes at a build's start ({@code rustc -vV}, the target-info probe) do not wait for a
     * server that is starting: the client starts it and runs the probe itself, unchanged, so cargo's
     * first steps overlap the JVM's start. A compile waits for the server as before (here one that
     * never comes: it runs in a JVM of its own).
     */
    @Test
    void cargosProbesRunWhileTheServerStarts() throws Exception {
        Path client = repo.resolve("kache-cli/target/kache-client");
        Assumptions.assumeTrue(Files.isExecutable(client), "no C compiler built kache-client");
        Path jar = repo.resolve("kache-cli/target/kache-cli-" + version + ".jar");
        Path log = tmp.resolve("launcher.log");
        // A server that never comes up (it never takes its lock), and a JVM wrapper that says when it runs.
        Path stalled = executable(tmp.resolve("stalled-launcher"), "#!/bin/sh\ncase \" $* \" in\n"
                + "  *\" __server \"*) echo start >> '" + log + "'; sleep 2; exit 0;;\n"
                + "  *) echo jvm >> '" + log + "'; exec '" + launcher + "' \"$@\";;\nesac\n");
        String rustc = toolchainRustc();
        List<String> targetInfo = List.of(rustc, "-", "--crate-name", "___", "--print=file-names", "--crate-type", "lib",
                "--crate-type", "bin");
        List<List<String>> probes = List.of(List.of(rustc, "-vV"), targetInfo);
        for (List<String> probe : probes) {
            String expected = new String(new ProcessBuilder(probe).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start().getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(client.toString(), "--kache-launcher", stalled.toString(),
                    jar.toString()));
            command.addAll(probe);
            Files.deleteIfExists(log);
            ScriptRun run = ScriptRun.run(command, Files.createDirectories(tmp.resolve("crate")), env,
                    Files.createDirectories(tmp.resolve("output")));
            assertEquals(0, run.exit(), run.toString());
            assertEquals(expected, run.out(), probe.toString());
            io.kache.testkit.Deadline.in(java.time.Duration.ofSeconds(30)).await("the server's start", () -> Files.exists(log));
            assertEquals(List.of("start"), Files.readAllLines(log), probe + ": the server was started, the probe ran here");
            io.kache.cli.e2e.KacheLauncher.stopProcessesOf(tmp);
            // The client's mark of a start under way, which keeps the next call from starting another.
            try (Stream<Path> marks = Files.list(Path.of(env.get("KACHE_SERVER_DIR")))) {
                for (Path mark : marks.filter(f -> f.toString().endsWith(".starting")).toList()) {
                    Files.delete(mark);
                }
            }
        }
        List<String> compile = new ArrayList<>(List.of(client.toString(), "--kache-launcher", stalled.toString(),
                jar.toString(), rustc, "--version"));
        Files.deleteIfExists(log);
        ScriptRun run = ScriptRun.run(compile, tmp.resolve("crate"), env, tmp.resolve("output"));
        assertEquals(0, run.exit(), run.toString());
        assertTrue(Files.readAllLines(log).contains("jvm"), "any other call waits for the server: " + Files.readAllLines(log));

        // kache's own command is never taken for a probe, whatever its arguments (found by review: the
        // client ran /usr/bin/sync -vV).
        List<String> sync = new ArrayList<>(List.of(client.toString(), "--kache-launcher", stalled.toString(),
                jar.toString(), "sync", "-vV"));
        Files.deleteIfExists(log);
        ScriptRun own = ScriptRun.run(sync, tmp.resolve("crate"), env, tmp.resolve("output"));
        assertTrue(Files.readAllLines(log).contains("jvm"), "kache sync is kache's: " + own);
        assertFalse(own.err().contains("invalid option"), own.toString());
    }

    /** {@code KACHE_NO_SERVER=0} means the server, in the launcher as in kache-client (only 1 is documented). */
    @Test
    void kacheNoServerZeroStillUsesTheServer() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(repo.resolve("kache-cli/target/kache-client")), "no C compiler built kache-client");
        Path serverDir = Path.of(env.get("KACHE_SERVER_DIR"));
        env.put("KACHE_NO_SERVER", "0");
        ScriptRun run = kache(launcher, toolchainRustc(), "-vV");
        assertEquals(0, run.exit(), run.toString());
        io.kache.testkit.Deadline.in(java.time.Duration.ofSeconds(30)).await("the server to listen", () -> {
            try (Stream<Path> files = Files.list(serverDir)) {
                return files.anyMatch(f -> f.getFileName().toString().endsWith(".sock"));
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * A server directory the server would refuse is refused by the client at once, as the server
     * reads it: a symlink named with a trailing slash (which lstat follows) is still a symlink, and
     * a relative path, which names another directory in each crate's directory, is none, nor is
     * one that cannot be made. The call runs in a JVM of its own without starting a server or
     * making anything on the way.
     */
    @Test
    void aServerDirectoryTheServerWouldRefuseStartsNoServer() throws Exception {
        Path client = repo.resolve("kache-cli/target/kache-client");
        Assumptions.assumeTrue(Files.isExecutable(client), "no C compiler built kache-client");
        Path jar = repo.resolve("kache-cli/target/kache-cli-" + version + ".jar");
        Path starts = tmp.resolve("starts.log");
        Path counting = countingLauncher(starts);
        String rustc = toolchainRustc();
        String expected = new String(new ProcessBuilder(rustc, "-vV").start().getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Path real = Files.createDirectory(tmp.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path linked = link(tmp.resolve("linked"), real);
        Path cwd = Files.createDirectories(tmp.resolve("crate"));
        for (String dir : List.of(linked + "/", linked + "//", "server", "/proc/kache-test/server")) {
            env.put("KACHE_SERVER_DIR", dir);
            ProcessBuilder pb = new ProcessBuilder(client.toString(), "--kache-launcher", counting.toString(),
                    jar.toString(), rustc, "-vV").directory(cwd.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            assertEquals(expected, new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), dir);
            assertEquals(0, p.waitFor(), dir);
            assertTrue(Files.notExists(starts), dir + ": no server started");
            try (Stream<Path> files = Stream.concat(Files.list(real), Files.list(cwd))) {
                assertEquals(List.of(), files.toList(), dir + ": nothing made through the link or in the call's directory");
            }
        }
    }

    /** Set as RUSTC_WRAPPER, a checkout not built yet must not fail the build: it runs the compiler unchanged. */
    @Test
    void anUnbuiltCheckoutRunsTheCompilerUnchanged() throws Exception {
        Path unbuilt = copyLauncherTo(Files.createDirectories(tmp.resolve("fake root")));
        Path dir = Files.createDirectories(tmp.resolve("tools"));
        Path compiler = executable(dir.resolve("my-compiler"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\nexit 42\n");
        env.put("PATH", dir + ":" + env.get("PATH"));
        for (String named : List.of(compiler.toString(), "my-compiler")) {
            List<String> args = new ArrayList<>(List.of(named));
            args.addAll(AWKWARD);
            ScriptRun run = kache(unbuilt, args.toArray(String[]::new));
            assertEquals(42, run.exit(), named + ": " + run);
            assertEquals(String.join("\n", AWKWARD) + "\n", run.out(), "stdout is the compiler's alone: " + run);
            assertEquals(1, run.err().lines().count(), run.toString());
            assertTrue(run.err().startsWith("kache: not built yet, running " + named + " without the cache"),
                    run.toString());
        }
    }

    @Test
    void cargoBuildsThroughAnUnbuiltCheckout() throws Exception {
        Path unbuilt = copyLauncherTo(Files.createDirectories(tmp.resolve("fake root")));
        Path project = Files.createDirectories(tmp.resolve("hello/src")).getParent();
        Files.writeString(project.resolve("Cargo.toml"), "[package]\nname = \"hello\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\n");
        Files.writeString(project.resolve("src/main.rs"), "fn main() { println!(\"hello through kache\"); }\n");
        // The test's HOME hides the user's; cargo and rustup still need theirs.
        Path userHome = Path.of(System.getProperty("user.home"));
        env.putIfAbsent("CARGO_HOME", userHome.resolve(".cargo").toString());
        env.putIfAbsent("RUSTUP_HOME", userHome.resolve(".rustup").toString());
        env.put("RUSTC_WRAPPER", unbuilt.toString());
        env.put("CARGO_TARGET_DIR", project.resolve("target").toString());
        ScriptRun build = ScriptRun.run(List.of("cargo", "build", "--offline"), project, env,
                Files.createDirectories(tmp.resolve("output")));
        assertEquals(0, build.exit(), build.toString());
        assertTrue(build.err().contains("kache: not built yet, running"), build.toString());
        ScriptRun hello = ScriptRun.run(List.of(project.resolve("target/debug/hello").toString()), project, env,
                tmp.resolve("output"));
        assertEquals("hello through kache\n", hello.out(), hello.toString());
    }

    @Test
    void anArgumentWithSpacesAndQuotesReachesTheCliUnchanged() throws Exception {
        String awkward = "a b \"c\" it's $HOME *";
        ScriptRun run = kache(launcher, "config", awkward);
        assertEquals(CommandLine.ExitCode.USAGE, run.exit(), run.toString());
        assertTrue(run.err().startsWith("Unmatched argument at index 1: '" + awkward + "'"), run.toString());
    }

    @Test
    void anUnbuiltCheckoutPrintsOneHintLineAndExits127() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("fake root"));
        Path copy = copyLauncherTo(root);
        // A jar without target/lib is as unusable as no target at all.
        Files.createDirectories(root.resolve("kache-cli/target"));
        for (int attempt = 0; attempt < 2; attempt++) {
            ScriptRun run = kache(copy, "--version");
            assertEquals(127, run.exit(), run.toString());
            assertEquals("", run.out(), run.toString());
            assertEquals("kache: not built yet; run 'mvn -q -DskipTests package' in " + root.toRealPath() + "\n",
                    run.err(), run.toString());
            Files.writeString(root.resolve("kache-cli/target/kache-cli-" + version + ".jar"), "not a jar");
        }
    }

    @Test
    void aRootWithASpaceInItsPathWorks() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("check out"));
        Path copy = copyLauncherTo(root);
        link(Files.createDirectories(root.resolve("kache-cli")).resolve("target"), repo.resolve("kache-cli/target"));
        ScriptRun run = kache(copy, "--version");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().startsWith("kache " + version + " (commit "), run.toString());
    }

    /**
     * A JDK other than the one that trained the class-data archive runs without it; JDK 25 says so as
     * an error on every start, on the stderr cargo stores with rustc's output and replays. Every JDK
     * of the machine is tried against an archive no JDK can use.
     */
    @Test
    void aClassDataArchiveTheJdkCannotUseIsNeverMentionedOnStderr() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("other jdk"));
        Path copy = copyLauncherTo(root);
        Path target = Files.createDirectories(root.resolve("kache-cli/target"));
        Path realTarget = repo.resolve("kache-cli/target");
        link(target.resolve("kache-cli-" + version + ".jar"), realTarget.resolve("kache-cli-" + version + ".jar"));
        link(target.resolve("lib"), realTarget.resolve("lib"));
        Files.writeString(target.resolve("kache.jsa"), "trained by another JDK\n");
        List<Path> jdks = installedJdks();
        for (Path jdk : jdks) {
            env.put("JAVA_HOME", jdk.toString());
            ScriptRun run = kache(copy, "--version");
            assertEquals(0, run.exit(), jdk + ": " + run);
            assertTrue(run.out().startsWith("kache " + version + " (commit "), jdk + ": " + run);
            assertEquals("", run.err(), jdk + ": " + run);
        }
    }

    /** The JDK running the tests and every other one installed where Debian and Temurin put them. */
    private static List<Path> installedJdks() throws IOException {
        Set<Path> jdks = new LinkedHashSet<>();
        jdks.add(Path.of(System.getProperty("java.home")).toRealPath());
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                for (Path dir : dirs.sorted().toList()) {
                    if (Files.isExecutable(dir.resolve("bin/java"))) {
                        jdks.add(dir.toRealPath());
                    }
                }
            }
        }
        return List.copyOf(jdks);
    }

    @Test
    void kacheJavaOptsHoldsSeveralJvmOptions() throws Exception {
        env.put("KACHE_JAVA_OPTS", "-Xshare:off -Xmx64m");
        ScriptRun fine = kache(launcher, "--version");
        assertEquals(0, fine.exit(), fine.toString());
        assertTrue(fine.out().startsWith("kache " + version + " (commit "), fine.toString());

        env.put("KACHE_JAVA_OPTS", "-Xmx64m -XX:+NoSuchJvmFlag");
        ScriptRun refused = kache(launcher, "--version");
        assertTrue(refused.exit() != 0 && refused.err().contains("NoSuchJvmFlag"), refused.toString());
    }

    /** bin/kache, adding a line to {@code starts} for each server it starts. */
    private Path countingLauncher(Path starts) throws IOException {
        return executable(tmp.resolve("counting-launcher"), "#!/bin/sh\ncase \" $* \" in *\" __server \"*) echo start >> '"
                + starts + "';; esac\nexec '" + launcher + "' \"$@\"\n");
    }

    /** The toolchain's own rustc: the rustup proxy needs the HOME this test's environment replaces. */
    private static String toolchainRustc() throws IOException {
        String sysroot = new String(new ProcessBuilder("rustc", "--print", "sysroot").start().getInputStream()
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        return Path.of(sysroot, "bin", "rustc").toString();
    }

    private ScriptRun kache(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        return ScriptRun.run(command, elsewhere, env, Files.createDirectories(tmp.resolve("output")));
    }

    private Path link(Path link, Path target) throws IOException {
        links.add(Files.createSymbolicLink(link, target));
        return link;
    }

    private static Path copyLauncherTo(Path root) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        return executable(bin.resolve("kache"), Files.readString(launcher));
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
