package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpellingTest {

    private static final Set<String> KEYS = Set.of("local_store", "local_max_size", "key_salt", "remote");

    @Test
    void aCloseMisspellingIsSuggested() {
        assertEquals(Optional.of("local_store"), Spelling.closest("local_stor", KEYS));
        assertEquals(Optional.of("key_salt"), Spelling.closest("key_slat", KEYS), "a swap is one edit");
        assertEquals(Optional.of("remote"), Spelling.closest("remot", KEYS));
    }

    @Test
    void nothingIsSuggestedForAnUnrelatedName() {
        assertEquals(Optional.empty(), Spelling.closest("disabled", KEYS));
        assertEquals(Optional.empty(), Spelling.closest("ab", Set.of("ac")), "too short to guess");
    }

    @Test
    void theConfigErrorSaysDidYouMean() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kache-spelling");
        java.nio.file.Path file = dir.resolve(".kache.toml");
        java.nio.file.Files.writeString(file, "[cache]\nlocal_stor = \"/x\"\n");
        try {
            ConfigFileReader.read(file);
            throw new AssertionError("an unknown key must be refused");
        } catch (ConfigException e) {
            assertEquals(true, e.getMessage().contains("unknown key (did you mean local_store?)"), e.getMessage());
        } finally {
            java.nio.file.Files.delete(file);
            java.nio.file.Files.delete(dir);
        }
    }
}
