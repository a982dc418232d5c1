package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.core.hash.FileIdentity;
import io.kache.testkit.Deadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config file is parsed once per version in a JVM that takes many calls, and read again as soon
 * as it changes, even in place with its size and mtime kept; the environment still wins per call.
 */
class ParsedConfigFilesTest {

    @TempDir
    Path tmp;

    /** Judged by a clock a minute ahead: every file is settled, nothing is held back by the racy window. */
    private static ParsedConfigFiles settled() {
        return new ParsedConfigFiles(() -> System.currentTimeMillis() * 1_000_000L + 60_000_000_000L);
    }

    @Test
    void anUnchangedFileIsParsedOnce() throws IOException {
        ParsedConfigFiles files = settled();
        Path file = Files.writeString(tmp.resolve("config.toml"), "[cache]\nkey_salt = \"aaaa\"\n");
        ConfigFileValues first = files.read(file);
        ConfigFileValues second = files.read(file);
        assertEquals(1, files.parses());
        assertEquals(first, second);
        assertEquals("aaaa", second.get(ConfigKey.KEY_SALT).orElseThrow().value());
    }

    @Test
    void aFileChangedInPlaceWithItsSizeAndMtimeKeptIsReadAgain() throws Exception {
        ParsedConfigFiles files = settled();
        Path file = Files.writeString(tmp.resolve("config.toml"), "[cache]\nkey_salt = \"aaaa\"\n");
        assertEquals("aaaa", files.read(file).get(ConfigKey.KEY_SALT).orElseThrow().value());
        FileIdentity before = FileIdentity.of(file).orElseThrow();
        FileTime mtime = Files.getLastModifiedTime(file);

        // Rewritten until the change shows in the ctime, which a coarse clock may take a tick to move.
        Deadline.in(Duration.ofSeconds(10)).await("the rewrite to change the file's ctime", () -> {
            try {
                Files.writeString(file, "[cache]\nkey_salt = \"bbbb\"\n");
                Files.setLastModifiedTime(file, mtime);
                FileIdentity now = FileIdentity.of(file).orElseThrow();
                return now.size() == before.size() && now.mtimeNanos() == before.mtimeNanos()
                        && now.ctimeNanos() != before.ctimeNanos();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertEquals("bbbb", files.read(file).get(ConfigKey.KEY_SALT).orElseThrow().value());
        assertEquals(2, files.parses());
    }

    @Test
    void aFileJustWrittenIsParsedOnEveryRead() throws IOException {
        ParsedConfigFiles files = new ParsedConfigFiles(null);
        Path file = Files.writeString(tmp.resolve("config.toml"), "[cache]\nkey_salt = \"aaaa\"\n");
        files.read(file);
        files.read(file);
        assertEquals(2, files.parses(), "a second write in the same clock tick could keep its identity");
    }

    @Test
    void aFileThatFailsIsNotKept() throws IOException {
        ParsedConfigFiles files = settled();
        Path file = Files.writeString(tmp.resolve("config.toml"), "[cache]\nkey_sal = \"aaaa\"\n");
        assertThrows(ConfigException.class, () -> files.read(file));
        assertThrows(ConfigException.class, () -> files.read(file));
        assertEquals(2, files.parses());
    }

    @Test
    void theEnvironmentStillWinsOnEveryCall() throws IOException {
        ConfigFixture fx = new ConfigFixture(tmp);
        fx.projectFile(fx.cwd, "[cache]\nkey_salt = \"from-file\"\ncompression_level = 7\n");
        ParsedConfigFiles files = settled();

        KacheConfig plain = new ConfigLoader(fx.env, fx.cwd, Set::of, files).load();
        fx.env("KACHE_KEY_SALT", "from-env");
        KacheConfig overridden = new ConfigLoader(fx.env, fx.cwd, Set::of, files).load();
        fx.env.remove("KACHE_KEY_SALT");
        KacheConfig again = new ConfigLoader(fx.env, fx.cwd, Set::of, files).load();

        assertEquals(1, files.parses(), "one parse for the three calls");
        assertEquals("from-file", plain.keySalt());
        assertEquals("from-env", overridden.keySalt());
        assertEquals(ConfigOrigin.env("KACHE_KEY_SALT"), overridden.origins().get(ConfigKey.KEY_SALT));
        assertEquals("from-file", again.keySalt());
        assertEquals(7, overridden.compressionLevel(), "the file's other values still apply");
        assertEquals(Optional.of(fx.cwd.resolve(".kache.toml")), again.file());
    }
}
