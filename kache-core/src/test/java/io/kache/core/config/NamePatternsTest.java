package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The list values of {@code key_env_vars} and {@code bypass_crates}. */
class NamePatternsTest {

    @Test
    void globsMatchAnyRunOfCharacters() {
        assertTrue(new NamePattern("SQLX_*").matches("SQLX_OFFLINE"));
        assertTrue(new NamePattern("SQLX_*").matches("SQLX_"));
        assertFalse(new NamePattern("SQLX_*").matches("XSQLX_A"));
        assertTrue(new NamePattern("*_URL").matches("DATABASE_URL"));
        assertFalse(new NamePattern("*_URL").matches("DATABASE_URL2"));
        assertTrue(new NamePattern("A*B*C").matches("AxxBxxC"));
        assertFalse(new NamePattern("A*B*C").matches("ABxC_"));
        assertFalse(new NamePattern("AB*BA").matches("ABA"), "the two ends may not overlap");
        assertTrue(new NamePattern("*").matches("anything"));
        assertTrue(new NamePattern("EXACT").matches("EXACT"));
        assertFalse(new NamePattern("EXACT").matches("EXACTLY"));
        assertThrows(IllegalArgumentException.class, () -> new NamePattern("A.B"));
        assertThrows(IllegalArgumentException.class, () -> new NamePattern(""));
    }

    @Test
    void keyEnvVarsSelectsByCrateAndKeepsUnsetNames() {
        KeyEnvVars k = KeyEnvVars.parse(" SQLX_*, my-app:DATABASE_URL\tPLAIN ,");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SQLX_OFFLINE", "true");
        env.put("SQLX_DIR", "/x");
        env.put("DATABASE_URL", "postgres://db");
        env.put("OTHER", "o");

        assertEquals(Map.of("SQLX_OFFLINE", Optional.of("true"), "SQLX_DIR", Optional.of("/x"),
                "PLAIN", Optional.empty()), k.select("other_crate", env));
        assertEquals(Map.of("SQLX_OFFLINE", Optional.of("true"), "SQLX_DIR", Optional.of("/x"),
                "PLAIN", Optional.empty(), "DATABASE_URL", Optional.of("postgres://db")), k.select("my_app", env));
        assertEquals(List.of("SQLX_*", "my_app:DATABASE_URL", "PLAIN"),
                k.rules().stream().map(KeyEnvVars.Rule::toString).toList());
        assertEquals(KeyEnvVars.NONE, KeyEnvVars.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> KeyEnvVars.parse(":X"));
        assertThrows(IllegalArgumentException.class, () -> KeyEnvVars.parse("a*:X"));
        assertThrows(IllegalArgumentException.class, () -> KeyEnvVars.parse("app:"));
    }

    @Test
    void bypassCratesUseRustcCrateNames() {
        CratePatterns c = CratePatterns.parse("my-macros, sys_*");
        assertTrue(c.matches("my_macros"));
        assertTrue(c.matches("sys_openssl"));
        assertFalse(c.matches("my_macros2"));
        assertFalse(CratePatterns.NONE.matches("anything"));
        assertThrows(IllegalArgumentException.class, () -> CratePatterns.parse("a/b"));
    }
}
