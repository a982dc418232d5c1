package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

/** {@code kache init} and {@code --version} against a temporary CARGO_HOME. */
class InitCommandTest {

    private static final String KACHE = "/opt/kache 1.0/bin/kache";
    private static final String SET = "rustc-wrapper = \"" + KACHE + "\"";
    private static final String ADDED = CargoWrapperSetting.ADDED_HEADER;
    /** The wrapper's line in a [build] table that was there before init. */
    private static final String SET_INTO = SET + "  " + CargoWrapperSetting.SET_COMMENT;

    @TempDir
    Path tmp;
    Path cargoHome;
    Path config;

    @BeforeEach
    void setUp() throws Exception {
        cargoHome = Files.createDirectories(tmp.resolve("cargo home"));
        config = cargoHome.resolve("config.toml");
    }

    private CliRun kache(String... args) {
        return CliRun.started(Optional.of(Path.of(KACHE)), Map.of("CARGO_HOME", cargoHome.toString(),
                "KACHE_CACHE_DIR", tmp.resolve("store").toString(), "HOME", tmp.toString()), tmp, args);
    }

    private static final String OTHER_TABLES = "# my cargo settings\r\n"
            + "[net]\n"
            + "git-fetch-with-cli = true   # behind a proxy\n"
            + "\n"
            + "[target.x86_64-unknown-linux-gnu]\n"
            + "linker = \"clang\"\n"
            + "rustflags = [\"-C\", \"link-arg=-fuse-ld=lld\"]\n"
            + "\n"
            + "[alias]\n"
            + "b = \"build\"";   // no newline at the end

    @Test
    void aFileWithCommentsAndOtherTablesKeepsEveryByteAndUninstallRestoresIt() throws Exception {
        Files.writeString(config, OTHER_TABLES);
        CliRun init = kache("init");
        assertEquals(0, init.exit(), init.toString());
        String after = Files.readString(config);
        assertTrue(after.startsWith(OTHER_TABLES), after);
        assertEquals(KACHE, Toml.parse(after).getString("build.rustc-wrapper"));
        assertTrue(init.out().contains("set build.rustc-wrapper = \"" + KACHE + "\" in " + config), init.out());
        assertTrue(init.out().contains("kache doctor") && init.out().contains("[cache.remote]"), init.out());
        assertTrue(init.out().contains("ok   local store writable"), init.out());
        assertTrue(Files.isDirectory(tmp.resolve("store")), "the local store was created");

        CliRun uninstall = kache("init", "--uninstall");
        assertEquals(0, uninstall.exit(), uninstall.toString());
        // The file uses CRLF (its first line), so kache's lines do too; only the final line ending stays.
        assertEquals(OTHER_TABLES + "\r\n", Files.readString(config));
        assertTrue(uninstall.out().contains("removed build.rustc-wrapper"), uninstall.out());
    }

    /** A config made read-only is left as it was, byte for byte and mode, and the reason said. */
    @Test
    void aReadOnlyConfigIsLeftAsItWas() throws Exception {
        Files.writeString(config, OTHER_TABLES);
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        CliRun init = kache("init");
        assertTrue(init.exit() != 0, init.toString());
        assertTrue(init.err().contains("read-only"), init.toString());
        assertEquals(OTHER_TABLES, Files.readString(config));
        assertEquals("r--r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(config)));
    }

    /** A link to a config not made yet (a dotfiles repository's) stays a link: the file is made where it leads. */
    @Test
    void aLinkToAMissingConfigStaysALink() throws Exception {
        Path dotfiles = Files.createDirectories(tmp.resolve("dotfiles"));
        Files.createSymbolicLink(config, dotfiles.resolve("cargo-config.toml"));
        CliRun init = kache("init");
        assertEquals(0, init.exit(), init.toString());
        assertTrue(Files.isSymbolicLink(config), "still a link");
        assertEquals(KACHE, Toml.parse(Files.readString(dotfiles.resolve("cargo-config.toml"))).getString("build.rustc-wrapper"));
    }

    @Test
    void anExistingBuildTableGetsTheWrapperRightBelowItsHeader() throws Exception {
        String original = "[alias]\nt = \"test\"\n\n[build] # shared\njobs = 4\ntarget-dir = \"/tmp/t\"\n\n[net]\nretry = 3\n";
        Files.writeString(config, original);
        assertEquals(0, kache("init").exit());
        assertEquals("[alias]\nt = \"test\"\n\n[build] # shared\n" + SET_INTO + "\njobs = 4\ntarget-dir = \"/tmp/t\"\n\n"
                + "[net]\nretry = 3\n", Files.readString(config));
        assertEquals(0, kache("init", "--uninstall").exit());
        assertEquals(original, Files.readString(config));
    }

    /** The user's own [build] table, even empty once the wrapper goes, stays as init found it. */
    @Test
    void uninstallLeavesTheUsersOwnBuildTableAsInitFoundIt() throws Exception {
        for (String original : List.of("[build]\n", "[net]\nretry = 3\n\n[build] # mine\n", "[build]  # my builds\n# later\n",
                "[alias]\nb = \"build\"\n\n[build]", "[build]\r\n")) {
            Files.writeString(config, original);
            CliRun init = kache("init");
            assertEquals(0, init.exit(), init.toString());
            assertEquals(KACHE, Toml.parse(Files.readString(config)).getString("build.rustc-wrapper"));
            CliRun uninstall = kache("init", "--uninstall");
            assertEquals(0, uninstall.exit(), uninstall.toString());
            assertEquals(original, Files.readString(config), "byte for byte");
        }
    }

    /** The header of a [build] table init added says so, and goes again with the wrapper. */
    @Test
    void aBuildTableInitAddedGoesAgainWithTheWrapper() throws Exception {
        String original = "[net]\nretry = 3\n";
        Files.writeString(config, original);
        assertEquals(0, kache("init").exit());
        assertEquals(original + "\n[build]  # added by kache init\n" + SET + "\n", Files.readString(config));
        assertEquals(0, kache("init", "--uninstall").exit());
        assertEquals(original, Files.readString(config));
    }

    /** An init before the header said so wrote a bare [build]; uninstall takes it back when nothing else is in it. */
    @Test
    void uninstallTakesBackTheBareBuildTableOfAnOlderInit() throws Exception {
        String olderInit = "\n[build]\n" + SET + "\n";
        for (String before : List.of("", "[net]\nretry = 3\n", "[net]\r\nretry = 3\r\n")) {
            String written = before.isEmpty() ? olderInit.substring(1) : before + olderInit.replace("\n", nl(before));
            Files.writeString(config, written);
            CliRun uninstall = kache("init", "--uninstall");
            assertEquals(0, uninstall.exit(), uninstall.toString());
            assertEquals(before, Files.readString(config), "as before that init, from:\n" + written);
        }
    }

    /** A bare [build] holding anything besides the wrapper (a key, a comment) is left with it. */
    @Test
    void uninstallLeavesABareBuildTableThatHoldsMore() throws Exception {
        for (String kept : List.of("[build]\n# my note\n", "[build]\njobs = 2\n", "[build]\n\n# below\n[net]\nretry = 3\n")) {
            int header = kept.indexOf('\n') + 1;
            String withWrapper = kept.substring(0, header) + SET + "\n" + kept.substring(header);
            Files.writeString(config, withWrapper);
            CliRun uninstall = kache("init", "--uninstall");
            assertEquals(0, uninstall.exit(), uninstall.toString());
            assertEquals(kept, Files.readString(config), "from:\n" + withWrapper);
        }
    }

    private static String nl(String text) {
        return text.contains("\r\n") ? "\r\n" : "\n";
    }

    @Test
    void dottedBuildKeysGetADottedSibling() throws Exception {
        Files.writeString(config, "build.jobs = 2\n[net]\nretry = 1\n");
        assertEquals(0, kache("init").exit());
        assertEquals("build." + SET + "\nbuild.jobs = 2\n[net]\nretry = 1\n", Files.readString(config));
    }

    @Test
    void noFileYetGetsOneWithOnlyTheSetting() throws Exception {
        CliRun init = kache("init");
        assertEquals(0, init.exit(), init.toString());
        assertEquals(ADDED + "\n" + SET + "\n", Files.readString(config));
        CliRun again = kache("init");
        assertEquals(0, again.exit());
        assertTrue(again.out().contains("already sets build.rustc-wrapper"), again.out());
        assertEquals(0, kache("init", "--uninstall").exit());
        assertEquals("", Files.readString(config));
    }

    @Test
    void anotherWrapperIsRefusedWithoutForceAndReplacedInPlaceWithIt() throws Exception {
        String original = "[build]\nrustc-wrapper = \"/usr/bin/sccache\"   # team default\njobs = 8\n";
        Files.writeString(config, original);
        CliRun refused = kache("init");
        assertEquals(InitCommand.EXIT_REFUSED, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("already set to \"/usr/bin/sccache\" (line 2)"), refused.err());
        assertTrue(refused.err().contains("--force") && refused.err().contains("left as it was"), refused.err());
        assertEquals(original, Files.readString(config));

        CliRun uninstall = kache("init", "--uninstall");
        assertEquals(InitCommand.EXIT_REFUSED, uninstall.exit(), "not ours to remove");
        assertEquals(original, Files.readString(config));

        CliRun forced = kache("init", "--force");
        assertEquals(0, forced.exit(), forced.toString());
        assertTrue(forced.out().contains("replaced \"/usr/bin/sccache\""), forced.out());
        assertEquals("[build]\n" + SET + "   # team default\njobs = 8\n", Files.readString(config));
    }

    /** A release archive: bin/kache, lib/, libexec/kache-client. */
    private Path archiveInstall() throws Exception {
        Path install = Files.createDirectories(tmp.resolve("opt/kache 1.0"));
        Files.createDirectories(install.resolve("bin"));
        Files.createDirectories(install.resolve("lib"));
        Files.createDirectories(install.resolve("libexec"));
        for (Path p : List.of(install.resolve("bin/kache"), install.resolve("libexec/kache-client"))) {
            Files.writeString(p, "#!/bin/sh\n");
            p.toFile().setExecutable(true);
        }
        return install;
    }

    private CliRun kacheAt(Path launcher, String... args) {
        return CliRun.started(Optional.of(launcher), Map.of("CARGO_HOME", cargoHome.toString(),
                "KACHE_CACHE_DIR", tmp.resolve("store").toString(), "HOME", tmp.toString()), tmp, args);
    }

    @Test
    void aReleaseArchiveSetsItsNativeClientAndTakesBackItsOwnLauncherWithoutForce() throws Exception {
        Path install = archiveInstall();
        Path launcher = install.resolve("bin/kache");
        Path client = install.resolve("libexec/kache-client");
        assertEquals(client, InitCommand.wrapperOf(launcher));
        // An earlier kache init of this install wrote bin/kache: that is this kache, no --force needed.
        Files.writeString(config, "[build]\nrustc-wrapper = " + CargoWrapperSetting.quote(launcher.toString()) + "\n");
        CliRun init = kacheAt(launcher, "init");
        assertEquals(0, init.exit(), init.toString());
        assertEquals("[build]\nrustc-wrapper = " + CargoWrapperSetting.quote(client.toString()) + "\n", Files.readString(config));
        CliRun uninstall = kacheAt(launcher, "init", "--uninstall");
        assertEquals(0, uninstall.exit(), uninstall.toString());
        assertEquals("", Files.readString(config), "the bare [build] table an earlier init added goes with it");
    }

    @Test
    void aCheckoutOrAnArchiveWithoutItsClientKeepsTheLauncher() throws Exception {
        Path install = archiveInstall();
        Files.delete(install.resolve("libexec/kache-client"));
        assertEquals(install.resolve("bin/kache"), InitCommand.wrapperOf(install.resolve("bin/kache")));
        Path checkout = Files.createDirectories(tmp.resolve("src/kache"));
        Files.createDirectories(checkout.resolve("bin"));
        Files.createDirectories(checkout.resolve("kache-cli/target"));
        Path built = checkout.resolve("kache-cli/target/kache-client");
        Files.writeString(built, "#!/bin/sh\n");
        built.toFile().setExecutable(true);
        assertEquals(checkout.resolve("bin/kache"), InitCommand.wrapperOf(checkout.resolve("bin/kache")),
                "mvn clean deletes a checkout's client: cargo would then fail to start its wrapper");
    }

    @Test
    void brokenTomlIsLeftUntouchedWithAnErrorNamingTheLine() throws Exception {
        String broken = "[net]\nretry = 3\n[build\njobs = 1\n";
        Files.writeString(config, broken);
        CliRun run = kache("init");
        assertEquals(InitCommand.EXIT_REFUSED, run.exit(), run.toString());
        assertTrue(run.err().contains(config + ": not valid TOML at line 3"), run.err());
        assertTrue(run.err().contains("left as it was"), run.err());
        assertEquals(broken, Files.readString(config));
        assertEquals(InitCommand.EXIT_REFUSED, kache("init", "--uninstall").exit());
        assertEquals(broken, Files.readString(config));
    }

    @Test
    void aFileThatIsNotTextIsLeftUntouched() throws Exception {
        byte[] bytes = {'[', 'b', ']', '\n', 'x', '=', '"', (byte) 0xff, (byte) 0xfe, '"', '\n'};
        Files.write(config, bytes);
        CliRun run = kache("init");
        assertEquals(InitCommand.EXIT_REFUSED, run.exit(), run.toString());
        assertTrue(run.err().contains("not UTF-8"), run.err());
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(config)));
    }

    @Test
    void anInlineBuildTableIsRefusedRatherThanRewritten() throws Exception {
        String inline = "build = { jobs = 2 }\n";
        Files.writeString(config, inline);
        CliRun run = kache("init");
        assertEquals(InitCommand.EXIT_REFUSED, run.exit(), run.toString());
        assertTrue(run.err().contains("by hand"), run.err());
        assertEquals(inline, Files.readString(config));
    }

    @Test
    void crlfFilesGetCrlfLines() throws Exception {
        String original = "[build]\r\njobs = 2\r\n";
        Files.writeString(config, original);
        assertEquals(0, kache("init").exit());
        assertEquals("[build]\r\n" + SET_INTO + "\r\njobs = 2\r\n", Files.readString(config));
        assertEquals(0, kache("init", "--uninstall").exit());
        assertEquals(original, Files.readString(config));
    }

    @Test
    void printShowsTheSettingAndChangesNothing() throws Exception {
        CliRun run = kache("init", "--print");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("# in " + config + "\n[build]\n" + SET + "\n", run.out());
        assertFalse(Files.exists(config));
    }

    @Test
    void cargosOlderConfigNameIsEditedWhereItIsTheOnlyFile() throws Exception {
        Path legacy = cargoHome.resolve("config");
        Files.writeString(legacy, "[net]\nretry = 1\n");
        assertEquals(0, kache("init").exit());
        assertFalse(Files.exists(config));
        assertEquals("[net]\nretry = 1\n\n" + ADDED + "\n" + SET + "\n", Files.readString(legacy));
    }

    /** Every build would fail on a broken kache config once cargo runs kache: init changes nothing before it is fixed. */
    @Test
    void aBrokenKacheConfigIsNamedAndTheCargoConfigLeftAsItWas() throws Exception {
        Files.writeString(config, OTHER_TABLES);
        Path kacheConfig = Files.writeString(tmp.resolve("kache.toml"), "[cache]\ncompresion_level = 3\n");
        CliRun init = CliRun.started(Optional.of(Path.of(KACHE)), Map.of("CARGO_HOME", cargoHome.toString(),
                "KACHE_CONFIG", kacheConfig.toString(), "HOME", tmp.toString()), tmp, "init");
        assertEquals(KacheCli.EXIT_BAD_CONFIG, init.exit(), init.toString());
        assertTrue(init.err().contains(kacheConfig + ":2: cache.compresion_level: unknown key"), init.err());
        assertTrue(init.err().contains(config + " was left as it was"), init.err());
        assertEquals(OTHER_TABLES, Files.readString(config));
        assertEquals("", init.out(), "nothing was set");
    }

    /** With both names, cargo reads config and warns that config.toml beside it is ignored. */
    @Test
    void cargosOlderConfigNameIsEditedBesideAConfigToml() throws Exception {
        Path legacy = cargoHome.resolve("config");
        Files.writeString(legacy, "[net]\nretry = 1\n");
        Files.writeString(config, "[net]\nretry = 2\n");
        CliRun init = kache("init");
        assertEquals(0, init.exit(), init.toString());
        assertEquals(KACHE, Toml.parse(Files.readString(legacy)).getString("build.rustc-wrapper"));
        assertTrue(init.out().contains(" in " + legacy + ";"), init.out());
        assertEquals("[net]\nretry = 2\n", Files.readString(config));
        assertEquals(0, kache("init", "--uninstall").exit());
        assertEquals("[net]\nretry = 1\n", Files.readString(legacy));
    }

    /** A link from the older name to config.toml (cargo's advice for old and new cargo alike) edits config.toml. */
    @Test
    void anOlderConfigNameLinkedToConfigTomlEditsConfigToml() throws Exception {
        Files.writeString(config, "[net]\nretry = 2\n");
        Files.createSymbolicLink(cargoHome.resolve("config"), Path.of("config.toml"));
        assertEquals(0, kache("init").exit());
        assertTrue(Files.isSymbolicLink(cargoHome.resolve("config")), "still a link");
        assertEquals(KACHE, Toml.parse(Files.readString(config)).getString("build.rustc-wrapper"));
    }

    @Test
    void withoutItsLauncherInitSaysSoAndChangesNothing() {
        CliRun run = CliRun.of(Map.of("CARGO_HOME", cargoHome.toString()), tmp, "init");
        assertEquals(InitCommand.EXIT_REFUSED, run.exit(), run.toString());
        assertTrue(run.err().contains("cannot tell where this kache is installed"), run.err());
        assertFalse(Files.exists(config));
    }

    @Test
    void versionNamesKacheItsCommitAndTheJavaRuntime() {
        CliRun run = CliRun.of(Map.of(), tmp, "--version");
        assertEquals(0, run.exit(), run.toString());
        String[] lines = run.out().split("\n");
        assertTrue(lines[0].matches("kache \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{7,}(-dirty)?\\)"), run.out());
        assertEquals("Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor")
                + ") at " + System.getProperty("java.home"), lines[1]);
        assertTrue(new String(run.out().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).endsWith("\n"));
    }
}
