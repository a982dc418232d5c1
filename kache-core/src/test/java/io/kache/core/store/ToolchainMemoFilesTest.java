package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.rustc.ToolchainMemo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of toolchain memo is read back exactly as written, or not at all: one damaged on disk
 * (empty, cut short, altered, overwritten) or written by a kache before memos carried their check
 * reads as absent and is deleted, so the answer asked of the compiler next is remembered in its place.
 */
class ToolchainMemoFilesTest {

    /** Every kind {@code toolchains/} holds, with text of its shape. */
    private static final List<List<String>> KINDS = List.of(
            List.of("1a2b3c.banner", "/t/bin/rustc\n123 456\nrustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\n"
                    + "host: x86_64-unknown-linux-gnu\nrelease: 1.95.0\n"),
            List.of("ab12.script", "/t/rustc-shim\n10 20\nrustc 1.95.0\nrelease: 1.95.0\n"),
            List.of("ab12.proxy", "/home/dev/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc"),
            List.of("1a2b3c.compiler", "/t/bin/rustc\n/t/bin/rustc\n1 2 3 4 5\nrustc"),
            List.of("ab12.targetinfo", "___\nlib___.rlib\n/sysroot\noff\ntarget_arch=\"x86_64\"\ntarget_os=\"linux\"\n"),
            List.of("ab12.ldprog", "/usr/bin/ld.mold"),
            List.of("ab13.ldprog", "\0no answer"));

    @TempDir
    Path temp;
    LocalStore store;
    ToolchainMemo memo;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(temp.resolve("store"), 1L << 30);
        memo = store.toolchainMemo();
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    @Test
    void everyKindIsReadBackExactly() throws IOException {
        for (List<String> kind : KINDS) {
            memo.write(kind.get(0), kind.get(1));
            assertEquals(Optional.of(kind.get(1)), memo.read(kind.get(0)), kind.get(0));
        }
        memo.write("ab12.proxy", "/elsewhere/bin/rustc");
        assertEquals(Optional.of("/elsewhere/bin/rustc"), memo.read("ab12.proxy"), "replaced");
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "junk", "cut short", "one byte altered", "an older kache's", "oversized"})
    void aDamagedMemoOfAnyKindReadsAsAbsentAndIsDeleted(String damage) throws IOException {
        for (List<String> kind : KINDS) {
            memo.write(kind.get(0), kind.get(1));
            Path file = memoFile(kind.get(0));
            Files.write(file, damaged(Files.readAllBytes(file), kind.get(1), damage));

            assertEquals(Optional.empty(), memo.read(kind.get(0)), damage + " " + kind.get(0));
            assertFalse(Files.exists(file), "deleted, to be written again: " + kind.get(0));
            memo.write(kind.get(0), kind.get(1));
            assertEquals(Optional.of(kind.get(1)), memo.read(kind.get(0)), "remembered again: " + kind.get(0));
        }
    }

    @Test
    void verifyingDeletesWhatFailsItsCheckAndTellsDamageFromAnOlderFormat() throws IOException {
        for (List<String> kind : KINDS) {
            memo.write(kind.get(0), kind.get(1));
        }
        Files.write(memoFile("ab12.targetinfo"), new byte[0]);
        byte[] banner = Files.readAllBytes(memoFile("1a2b3c.banner"));
        Files.write(memoFile("1a2b3c.banner"), Arrays.copyOf(banner, banner.length - 10));
        Files.writeString(memoFile("ab12.proxy"), KINDS.get(2).get(1));

        MemoVerification v = store.verifyToolchainMemos();

        assertEquals(KINDS.size(), v.checked());
        assertEquals(List.of("1a2b3c.banner", "ab12.targetinfo"), v.damaged());
        assertEquals(List.of("ab12.proxy"), v.unsealed());
        assertFalse(v.clean());
        for (String gone : List.of("1a2b3c.banner", "ab12.targetinfo", "ab12.proxy")) {
            assertFalse(Files.exists(memoFile(gone)), gone);
        }
        assertEquals(Optional.of(KINDS.get(5).get(1)), memo.read("ab12.ldprog"), "a sound memo is kept");
        assertTrue(store.verifyToolchainMemos().clean());
    }

    @Test
    void purgingTheStoreForgetsTheMemosPurgingOneCrateKeepsThem() throws IOException {
        memo.write("ab12.targetinfo", KINDS.get(4).get(1));
        store.purge(Optional.of("serde"));
        assertTrue(memo.read("ab12.targetinfo").isPresent());

        store.purge(Optional.empty());
        assertEquals(Optional.empty(), memo.read("ab12.targetinfo"));
        assertFalse(Files.exists(memoFile("ab12.targetinfo")));
    }

    private static byte[] damaged(byte[] file, String text, String damage) {
        return switch (damage) {
            case "empty" -> new byte[0];
            case "junk" -> "junk\n".getBytes(StandardCharsets.UTF_8);
            case "cut short" -> Arrays.copyOf(file, file.length - 3);
            case "one byte altered" -> {
                byte[] altered = file.clone();
                altered[altered.length - 1] ^= 1;
                yield altered;
            }
            case "an older kache's" -> text.getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] big = Arrays.copyOf(file, 2 << 20);
                yield big;
            }
        };
    }

    private Path memoFile(String name) {
        return store.root().resolve("memos").resolve(name);
    }
}
