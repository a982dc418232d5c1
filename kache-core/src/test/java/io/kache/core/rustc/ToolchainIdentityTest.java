package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The banner is asked for once per compiler binary, again when the binary changes, always through rustup. */
class ToolchainIdentityTest {

    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "RUSTUP_TOOLCHAIN", "stable");

    @TempDir
    Path temp;
    Path bin;
    Path counter;
    Path rustc;
    ToolchainIdentity identity;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(temp.resolve("toolchain/bin"));
        counter = temp.resolve("runs.log");
        rustc = bin.resolve("rustc");
        writeScript(rustc, "1.95.0", 0);
        identity = new ToolchainIdentity(temp.resolve("cache"));
    }

    @Test
    void runsOnceForTwoCalls() throws IOException {
        String first = identity.banner(rustc, ENV, temp);
        String second = identity.banner(rustc, ENV, temp);
        assertEquals(first, second);
        assertTrue(first.contains("release: 1.95.0"), first);
        assertEquals(1, runs());
    }

    @Test
    void rememberedAcrossInstancesSharingTheCacheDir() throws IOException {
        String first = identity.banner(rustc, ENV, temp);
        assertEquals(first, new ToolchainIdentity(temp.resolve("cache")).banner(rustc, ENV, temp));
        assertEquals(1, runs());
        new ToolchainIdentity(temp.resolve("other-cache")).banner(rustc, ENV, temp);
        assertEquals(2, runs());
    }

    @Test
    void runsAgainAfterTheBinaryChangesSize() throws IOException {
        identity.banner(rustc, ENV, temp);
        FileTime mtime = Files.getLastModifiedTime(rustc);
        writeScript(rustc, "1.96.0-beta.1", 0);
        Files.setLastModifiedTime(rustc, mtime);
        assertTrue(identity.banner(rustc, ENV, temp).contains("release: 1.96.0-beta.1"));
        assertEquals(2, runs());
        identity.banner(rustc, ENV, temp);
        assertEquals(2, runs());
    }

    @Test
    void runsAgainAfterTheBinaryIsReplacedWithTheSameSize() throws IOException {
        identity.banner(rustc, ENV, temp);
        FileTime mtime = Files.getLastModifiedTime(rustc);
        writeScript(rustc, "1.96.0", 0);
        Files.setLastModifiedTime(rustc, FileTime.fromMillis(mtime.toMillis() + 5_000));
        assertTrue(identity.banner(rustc, ENV, temp).contains("release: 1.96.0"));
        assertEquals(2, runs());
    }

    @Test
    void symlinksToTheSameBinaryShareTheBanner() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("rustc-link"), rustc);
        identity.banner(rustc, ENV, temp);
        identity.banner(link, ENV, temp);
        assertEquals(1, runs());
    }

    /** A rustup proxy picks the toolchain per call (rust-toolchain files, RUSTUP_TOOLCHAIN), so never cache. */
    @Test
    void rustupProxyIsAskedEveryTime() throws IOException {
        Path rustup = bin.resolve("rustup");
        writeScript(rustup, "1.95.0", 0);
        Path proxy = Files.createSymbolicLink(temp.resolve("rustc"), rustup);
        String stable = identity.banner(proxy, ENV, temp);
        String nightly = identity.banner(proxy, Map.of("RUSTUP_TOOLCHAIN", "nightly"), temp);
        assertEquals(2, runs());
        assertTrue(stable.contains("toolchain: stable"), stable);
        assertTrue(nightly.contains("toolchain: nightly"), nightly);
    }

    @Test
    void failuresAreReportedAndNotRemembered() throws IOException {
        writeScript(rustc, "1.95.0", 3);
        IOException e = assertThrows(IOException.class, () -> identity.banner(rustc, ENV, temp));
        assertTrue(e.getMessage().contains(rustc.toString()), e.getMessage());

        Files.writeString(rustc, "#!/bin/sh\necho run >> '" + counter + "'\necho 'rustc, but not really'\n");
        assertThrows(IOException.class, () -> identity.banner(rustc, ENV, temp));

        writeScript(rustc, "1.95.0-fixed", 0);
        assertTrue(identity.banner(rustc, ENV, temp).contains("release: 1.95.0-fixed"));
        assertEquals(3, runs());
    }

    @Test
    void missingBinaryIsAnIOException() {
        assertThrows(IOException.class, () -> identity.banner(bin.resolve("no-such-rustc"), ENV, temp));
    }

    private void writeScript(Path file, String release, int exit) throws IOException {
        Files.writeString(file, "#!/bin/sh\n"
                + "echo run >> '" + counter + "'\n"
                + "printf 'rustc " + release + " (fake)\\nbinary: rustc\\nrelease: " + release + "\\n'\n"
                + "echo \"toolchain: $RUSTUP_TOOLCHAIN\"\n"
                + "exit " + exit + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private long runs() throws IOException {
        return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
    }
}
