package io.kache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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

    /**
     * A process's environment becomes the wanted one, and an entry that already holds its value is
     * not put again (Java keeps an inherited entry's bytes only while it is not replaced).
     */
    @Test
    void aProcessGetsTheWantedEnvironmentKeepingTheEntriesItHasAlready() {
        ProcessBuilder pb = new ProcessBuilder("true");
        Map<String, String> wanted = new HashMap<>(System.getenv());
        wanted.remove("PATH");
        wanted.put("KACHE_TEST_ADDED", "1");
        Map<String, String> seen = new HashMap<>();
        Map<String, String> recording = new AbstractMap<>() {
            @Override
            public Set<Entry<String, String>> entrySet() {
                return pb.environment().entrySet();
            }

            @Override
            public String put(String key, String value) {
                seen.put(key, value);
                return pb.environment().put(key, value);
            }
        };
        CallerEnvironment.applyTo(recording, wanted);
        assertEquals(wanted, pb.environment());
        assertEquals(Map.of("KACHE_TEST_ADDED", "1"), seen, "only what differs is put");
    }
}
