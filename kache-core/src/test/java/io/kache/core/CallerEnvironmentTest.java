package io.kache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerEnvironmentTest {

    @Test
    void theCallersLcAllComesBackAndTheMarkGoes() {
        assertEquals(Map.of("PATH", "/bin", "LC_ALL", "de_DE.ISO-8859-1"), CallerEnvironment.of(
                Map.of("PATH", "/bin", "LC_ALL", "C.UTF-8", "KACHE_CALLER_LC_ALL", "=de_DE.ISO-8859-1")));
        assertEquals(Map.of("LC_ALL", ""), CallerEnvironment.of(Map.of("LC_ALL", "C.UTF-8", "KACHE_CALLER_LC_ALL", "=")));
    }

    @Test
    void anLcAllTheCallerDidNotSetIsRemoved() {
        assertEquals(Map.of("LANG", "C"), CallerEnvironment.of(
                Map.of("LANG", "C", "LC_ALL", "C.UTF-8", "KACHE_CALLER_LC_ALL", "unset")));
    }

    @Test
    void anEnvironmentTheLauncherDidNotTouchIsTheCallers() {
        Map<String, String> env = Map.of("LC_ALL", "C", "HOME", "/root");
        assertEquals(env, CallerEnvironment.of(env));
    }
}
