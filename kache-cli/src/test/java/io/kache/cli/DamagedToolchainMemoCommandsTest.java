package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A toolchain memo a crash left empty, as the commands meet it: {@code doctor --verify} reports it
 * and deletes it (it said all checks passed while every build failed), and {@code purge} empties
 * {@code toolchains/} with the entries.
 */
class DamagedToolchainMemoCommandsTest {

    @TempDir
    Path tmp;
    Map<String, String> env;
    Path memos;

    @BeforeEach
    void setUp() throws Exception {
        Path store = tmp.resolve("store");
        env = new HashMap<>(Map.of("KACHE_CACHE_DIR", store.toString(), "HOME", tmp.toString(),
                "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()));
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            s.toolchainMemo().write("ab12.targetinfo", "___\nlib___.rlib\ntarget_os=\"linux\"\n");
            s.toolchainMemo().write("1a2b3c.banner", "/t/bin/rustc\n1 2\nrustc 1.95.0\nrelease: 1.95.0\n");
        }
        memos = store.resolve("memos");
    }

    private String check(CliRun run) {
        return run.out().lines().filter(l -> l.contains("  toolchain memos verified: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no memo check in\n" + run.out()));
    }

    @Test
    void doctorVerifyReportsAnEmptiedMemoOnceAndDeletesIt() throws Exception {
        Files.write(memos.resolve("ab12.targetinfo"), new byte[0]);

        CliRun first = CliRun.of(env, tmp, "doctor", "--verify");
        assertEquals(1, first.exit(), first.toString());
        assertTrue(check(first).startsWith("  FAIL") && check(first).contains("1 damaged")
                && check(first).contains("ab12.targetinfo"), check(first));
        assertFalse(Files.exists(memos.resolve("ab12.targetinfo")));
        assertTrue(Files.exists(memos.resolve("1a2b3c.banner")), "a sound memo is kept");

        CliRun second = CliRun.of(env, tmp, "doctor", "--verify");
        assertEquals(0, second.exit(), second.toString());
        assertTrue(check(second).startsWith("  ok"), check(second));
    }

    @Test
    void purgeEmptiesTheToolchainMemos() throws Exception {
        CliRun purge = CliRun.of(env, tmp, "purge");
        assertEquals(0, purge.exit(), purge.toString());
        try (var left = Files.list(memos)) {
            assertEquals(0, left.count());
        }
    }
}
