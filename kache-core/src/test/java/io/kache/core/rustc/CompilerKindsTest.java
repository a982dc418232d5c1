package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.store.LocalStore;
import io.kache.core.store.StoreFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rustc is told by its -vV, whatever it is called, and clippy-driver (which answers -vV as rustc)
 * by its --version; asked once per binary and again when it changes.
 */
class CompilerKindsTest {

    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");
    static final String RUSTC_BANNER = "rustc 1.95.0 (fake)\\nbinary: rustc\\nrelease: 1.95.0\\nLLVM version: 22\\n";

    @TempDir
    Path temp;
    Path counter;
    LocalStore store;
    CompilerKinds kinds;

    @BeforeEach
    void setUp() throws IOException {
        counter = temp.resolve("runs.log");
        store = LocalStore.open(temp.resolve("store"), 1L << 30);
        kinds = new CompilerKinds(store.toolchainMemo());
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void aRustcNotNamedRustcIsRustcAndAskedOnce() throws IOException {
        Path compiler = script(temp.resolve("my-compiler"), RUSTC_BANNER, 0);
        assertTrue(kinds.isRustc(compiler, ENV, temp));
        assertTrue(kinds.isRustc(compiler, ENV, temp));
        assertTrue(new CompilerKinds(store.toolchainMemo()).isRustc(compiler, ENV, temp));
        assertEquals(2, runs(), "-vV and --version once, remembered in the store, across instances");
    }

    @Test
    void theBannerAskedToTellRustcIsTheOneTheKeyUsesWithoutAskingAgain() throws IOException {
        Path compiler = script(temp.resolve("rustc"), RUSTC_BANNER, 0);
        assertTrue(kinds.isRustc(compiler, ENV, temp));
        assertEquals(2, runs(), "-vV and --version");
        String banner = new ToolchainIdentity(store.toolchainMemo()).banner(compiler, ENV, temp);
        assertEquals(RUSTC_BANNER.replace("\\n", "\n"), banner);
        assertEquals(2, runs(), "the first key did not start the compiler for its -vV again");
    }

    @Test
    void anythingElseIsNotRustcAndThatIsRememberedToo() throws IOException {
        Path gcc = script(temp.resolve("cc-ish"), "gcc (GCC) 13.2.0\\n", 0);
        Path halfBanner = script(temp.resolve("half"), "rustc 1.95.0\\nrelease: 1.95.0\\n", 0);
        for (int i = 0; i < 2; i++) {
            assertFalse(kinds.isRustc(gcc, ENV, temp));
            assertFalse(kinds.isRustc(halfBanner, ENV, temp), "no 'binary: rustc' line");
        }
        assertEquals(2, runs(), "a program that answered is remembered");
    }

    /** A rustup proxy fails -vV while its toolchain is missing: once installed, it must be rustc. */
    @Test
    void aFailingVersionQueryIsNotRemembered() throws IOException {
        Path compiler = script(temp.resolve("my-compiler"), RUSTC_BANNER, 1);
        assertFalse(kinds.isRustc(compiler, ENV, temp));
        assertFalse(kinds.isRustc(compiler, ENV, temp));
        assertEquals(2, runs());
        FileTime mtime = Files.getLastModifiedTime(compiler);
        Files.writeString(compiler, Files.readString(compiler).replace("exit 1", "exit 0"));
        Files.setLastModifiedTime(compiler, mtime);
        assertTrue(kinds.isRustc(compiler, ENV, temp));
    }

    @Test
    void aChangedBinaryIsAskedAgainEvenWithItsSizeAndMtimeKept() throws IOException {
        Path compiler = script(temp.resolve("my-compiler"), "x".repeat(RUSTC_BANNER.length()), 0);
        FileTime mtime = Files.getLastModifiedTime(compiler);
        assertFalse(kinds.isRustc(compiler, ENV, temp));
        long size = Files.size(compiler);
        Path replacement = script(temp.resolve("replacement"), RUSTC_BANNER, 0);
        assertEquals(size, Files.size(replacement), "the test replaces the binary by one of the same size");
        Files.move(replacement, compiler, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(compiler, mtime);
        assertTrue(kinds.isRustc(compiler, ENV, temp));
        assertEquals(3, runs(), "the first asked -vV, the replacement -vV and --version");
    }

    @Test
    void namesOfOneBinaryAreAskedEachAsARustupProxyAnswersByName() throws IOException {
        // One binary answering by the name it was called by, as rustup's proxies do.
        Path multi = temp.resolve("multi");
        Files.writeString(multi, "#!/bin/sh\necho run >> '" + counter + "'\n"
                + "case ${0##*/} in rustc) printf '" + RUSTC_BANNER + "' ;; *) echo 'cargo 1.95.0' ;; esac\n");
        Files.setPosixFilePermissions(multi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path rustc = Files.createSymbolicLink(temp.resolve("rustc"), multi);
        Path cargo = Files.createSymbolicLink(temp.resolve("cargo"), multi);
        assertFalse(kinds.isRustc(cargo, ENV, temp));
        assertTrue(kinds.isRustc(rustc, ENV, temp));
        assertFalse(kinds.isRustc(cargo, ENV, temp));
        assertTrue(kinds.isRustc(rustc, ENV, temp));
        assertEquals(3, runs(), "cargo asked -vV, rustc -vV and --version");
    }

    @Test
    void aShimThatExecsTheRealRustcIsRustc() throws IOException {
        Path real = RealRustc.require();
        Path shim = temp.resolve("shim");
        Files.writeString(shim, "#!/bin/sh\nexec '" + real + "' \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(kinds.isRustc(shim, System.getenv(), temp));
    }

    @Test
    void aCompilerThatCannotRunIsNotRustcAndNothingIsLeftBehind() throws IOException {
        Path notExecutable = temp.resolve("not-executable");
        Files.writeString(notExecutable, "#!/bin/sh\nexit 0\n");
        assertFalse(kinds.isRustc(notExecutable, ENV, temp));
        assertFalse(kinds.isRustc(temp.resolve("missing"), ENV, temp));
        assertFalse(Files.exists(temp.resolve("store/toolchains")), "no answer kept for a compiler that never ran");
        try (var files = Files.list(temp.resolve("store/tmp"))) {
            assertEquals(0, files.count(), "no temporary output left");
        }
    }

    /** clippy-driver answers -vV as rustc: only its --version tells it apart, asked once per binary. */
    @Test
    void clippyDriverIsToldByItsVersionLine() throws IOException {
        Path driver = temp.resolve("clippy-driver");
        Files.writeString(driver, "#!/bin/sh\necho \"$1\" >> '" + counter + "'\n"
                + "if [ \"$1\" = --version ]; then echo 'clippy 0.1.95 (abc 2026-01-01)'; else printf '" + RUSTC_BANNER + "'; fi\n");
        Files.setPosixFilePermissions(driver, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path rustc = script(temp.resolve("rustc"), RUSTC_BANNER, 0);
        assertTrue(kinds.isRustc(driver, ENV, temp), "its -vV is rustc's");
        for (int i = 0; i < 2; i++) {
            assertEquals(java.util.Optional.of("clippy 0.1.95 (abc 2026-01-01)"), kinds.clippyVersion(driver, ENV, temp));
            assertEquals(java.util.Optional.empty(), kinds.clippyVersion(rustc, ENV, temp));
        }
        assertEquals(java.util.List.of("-vV", "--version"), Files.readAllLines(counter).subList(0, 2));
        assertEquals(4, runs(), "each binary asked -vV and --version once: " + Files.readAllLines(counter));
    }

    /**
     * The store's temp directory cannot take a file (a full disk; here a file in its place): the
     * compiler is still known for rustc, its question asked with files elsewhere, and its banner is
     * still its banner though it cannot be remembered.
     */
    @Test
    void aStoreThatCannotTakeTheAnswerOrTheMemoStillKnowsRustcAndItsBanner() throws IOException {
        Path compiler = script(temp.resolve("rustc"), RUSTC_BANNER, 0);
        StoreFaults.cannotTakeFiles(store.root());

        assertTrue(kinds.isRustc(compiler, ENV, temp), "not \"not rustc\": kache's trouble is not the compiler's answer");
        String banner = new ToolchainIdentity(store.toolchainMemo()).banner(compiler, ENV, temp);

        assertTrue(CompilerKinds.isRustcBanner(banner), banner);
        Path memos = store.root().resolve("memos");
        if (Files.isDirectory(memos)) {
            try (java.util.stream.Stream<Path> remembered = Files.list(memos)) {
                assertEquals(0, remembered.count(), "nothing remembered");
            }
        }
    }

    private Path script(Path file, String printed, int exit) throws IOException {
        Files.writeString(file, "#!/bin/sh\necho run >> '" + counter + "'\nprintf '" + printed + "'\nexit " + exit + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private long runs() throws IOException {
        return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
    }
}
