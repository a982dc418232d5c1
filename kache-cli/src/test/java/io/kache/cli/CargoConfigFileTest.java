package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a cargo config never loses what someone else saved after it was read. */
class CargoConfigFileTest {

    @TempDir
    Path tmp;

    @Test
    void anEditSavedAfterTheReadIsKeptAndNothingWritten() throws Exception {
        Path file = Files.writeString(tmp.resolve("config.toml"), "[net]\nretry = 1\n");
        CargoConfigFile.Snapshot read = CargoConfigFile.read(file);
        Files.writeString(file, "[net]\nretry = 1\n[alias]\nb = \"build\"\n");   // an editor saves meanwhile
        assertFalse(CargoConfigFile.replace(read, read.text() + "[build]\nrustc-wrapper = \"k\"\n"));
        assertEquals("[net]\nretry = 1\n[alias]\nb = \"build\"\n", Files.readString(file));
        try (var left = Files.list(tmp)) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
    }

    @Test
    void aFileMadeAfterAReadOfNoFileIsKept() throws Exception {
        Path file = tmp.resolve("config.toml");
        CargoConfigFile.Snapshot read = CargoConfigFile.read(file);
        Files.writeString(file, "[net]\nretry = 2\n");
        assertFalse(CargoConfigFile.replace(read, "[build]\nrustc-wrapper = \"k\"\n"));
        assertEquals("[net]\nretry = 2\n", Files.readString(file));
    }

    @Test
    void anUnchangedFileIsReplaced() throws Exception {
        Path file = Files.writeString(tmp.resolve("config.toml"), "[net]\nretry = 1\n");
        CargoConfigFile.Snapshot read = CargoConfigFile.read(file);
        assertTrue(CargoConfigFile.replace(read, "[net]\nretry = 3\n"));
        assertEquals("[net]\nretry = 3\n", Files.readString(file));
        Path missing = tmp.resolve("new.toml");
        assertTrue(CargoConfigFile.replace(CargoConfigFile.read(missing), "x = 1\n"));
        assertEquals("x = 1\n", Files.readString(missing));
    }
}
