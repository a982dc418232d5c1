package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileResolutionTest {

    @TempDir
    Path tmp;
    ConfigFixture fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigFixture(tmp);
    }

    @Test
    void noFileAnywhereMeansNoFileLayer() {
        for (Path dir = tmp; dir != null; dir = dir.getParent()) {
            Assumptions.assumeFalse(Files.exists(dir.resolve(".kache.toml")),
                    "a stray .kache.toml above the temp directory would be found: " + dir);
        }
        KacheConfig c = fx.load();
        assertEquals(Optional.empty(), c.file());
        assertEquals(ConfigOrigin.Kind.DEFAULT, c.origin(ConfigKey.CONFIG_FILE).kind());
    }

    @Test
    void theFileInTheWorkingDirectoryIsFound() {
        Path file = fx.projectFile(fx.cwd, "[cache]\ncompression_level = 5\n");
        KacheConfig c = fx.load();
        assertEquals(Optional.of(file), c.file());
        assertEquals(5, c.compressionLevel());
        assertEquals("search", c.origin(ConfigKey.CONFIG_FILE).source());
    }

    @Test
    void walkingUpFindsTheNearestFileOnly() {
        fx.projectFile(fx.root.resolve("work"), "[cache]\ncompression_level = 4\ns3_concurrency = 2\n");
        Path nearer = fx.projectFile(fx.root.resolve("work/project"), "[cache]\ncompression_level = 6\n");
        KacheConfig c = fx.load();
        assertEquals(Optional.of(nearer), c.file());
        assertEquals(6, c.compressionLevel());
        assertEquals(16, c.s3Concurrency(), "files are not merged: the farther file's keys do not apply");
    }

    @Test
    void aDirectoryNamedLikeTheFileIsSkipped() {
        ConfigFixture.mkdirs(fx.cwd.resolve(".kache.toml"));
        Path file = fx.projectFile(fx.root.resolve("work"), "[cache]\ncompression_level = 8\n");
        assertEquals(Optional.of(file), fx.load().file());
    }

    @Test
    void xdgConfigHomeIsTheFallback() {
        Path xdg = tmp.resolve("xdg");
        Path file = fx.write(xdg.resolve("kache/config.toml"), "[cache]\ncompression_level = 9\n");
        fx.env("XDG_CONFIG_HOME", xdg.toString());
        KacheConfig c = fx.load();
        assertEquals(Optional.of(file), c.file());
        assertEquals(9, c.compressionLevel());
    }

    @Test
    void homeDotConfigIsTheFallbackWithoutXdg() {
        Path file = fx.write(fx.home.resolve(".config/kache/config.toml"), "[cache]\ncompression_level = 10\n");
        assertEquals(Optional.of(file), fx.load().file());
    }

    @Test
    void aProjectFileBeatsTheUserFile() {
        fx.write(fx.home.resolve(".config/kache/config.toml"), "[cache]\ncompression_level = 10\n");
        Path project = fx.projectFile(fx.root.resolve("work"), "[cache]\nkey_salt = \"p\"\n");
        KacheConfig c = fx.load();
        assertEquals(Optional.of(project), c.file());
        assertEquals(3, c.compressionLevel(), "the user file is not merged in");
    }

    @Test
    void kacheConfigBeatsEverySearchedFile() {
        fx.projectFile(fx.cwd, "[cache]\ncompression_level = 5\n");
        Path chosen = fx.write(tmp.resolve("elsewhere/kache.toml"), "[cache]\ncompression_level = 11\n");
        fx.env("KACHE_CONFIG", chosen.toString());
        KacheConfig c = fx.load();
        assertEquals(Optional.of(chosen), c.file());
        assertEquals(11, c.compressionLevel());
        assertEquals("KACHE_CONFIG", c.origin(ConfigKey.CONFIG_FILE).source());
    }

    @Test
    void aRelativeKacheConfigIsTakenFromTheWorkingDirectory() {
        Path chosen = fx.write(fx.cwd.resolve("conf/k.toml"), "[cache]\ncompression_level = 12\n");
        fx.env("KACHE_CONFIG", "conf/k.toml");
        assertEquals(Optional.of(chosen), fx.load().file());
    }

    @Test
    void aMissingKacheConfigFileIsAnError() {
        fx.projectFile(fx.cwd, "[cache]\n");
        fx.env("KACHE_CONFIG", tmp.resolve("nope.toml").toString());
        ConfigException e = assertThrows(ConfigException.class, fx::load);
        assertEquals("KACHE_CONFIG", e.key());
        assertTrue(e.getMessage().startsWith("environment variable KACHE_CONFIG: '"), e.getMessage());
        assertFalse(e.getMessage().contains("KACHE_CONFIG: KACHE_CONFIG"), "the variable is named once: " + e.getMessage());
        assertTrue(e.getMessage().contains("nope.toml"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    /** A dependency outside the workspace runs in its own directory: the build's directory is searched first. */
    @Test
    void theFirstProjectSearchStartThatFindsAFileGivesIt() {
        Path build = ConfigFixture.mkdirs(fx.root.resolve("build/ws"));
        fx.projectFile(fx.cwd, "[cache]\ncompression_level = 5\n");
        Path buildFile = fx.projectFile(build, "[cache]\ncompression_level = 7\n");
        KacheConfig c = fx.load(List.of(build, fx.cwd));
        assertEquals(Optional.of(buildFile), c.file(), "the build's file beats the package's own");
        assertEquals(7, c.compressionLevel());
        assertEquals("search", c.origin(ConfigKey.CONFIG_FILE).source());
    }

    @Test
    void aLaterStartIsSearchedWhenTheEarlierFindNoFile() {
        Path build = ConfigFixture.mkdirs(fx.root.resolve("build/ws"));
        fx.write(fx.home.resolve(".config/kache/config.toml"), "[cache]\ncompression_level = 10\n");
        Path own = fx.projectFile(fx.root.resolve("work"), "[cache]\ncompression_level = 5\n");
        assertEquals(Optional.of(own), fx.load(List.of(build, fx.cwd)).file(), "before the user file");
    }

    @Test
    void kacheConfigAndTheUserFileKeepTheirPlacesAroundTheBuildsSearch() {
        Path build = ConfigFixture.mkdirs(fx.root.resolve("build/ws"));
        Path user = fx.write(fx.home.resolve(".config/kache/config.toml"), "[cache]\ncompression_level = 10\n");
        assertEquals(Optional.of(user), fx.load(List.of(build, fx.cwd)).file(), "no project file anywhere");
        fx.projectFile(build, "[cache]\ncompression_level = 7\n");
        Path chosen = fx.write(fx.cwd.resolve("conf/k.toml"), "[cache]\ncompression_level = 12\n");
        fx.env("KACHE_CONFIG", "conf/k.toml");
        assertEquals(Optional.of(chosen), fx.load(List.of(build, fx.cwd)).file(),
                "KACHE_CONFIG first, a relative one from the call's working directory");
    }
}
