package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program is found as the call's shell would find it: by path from the call's directory, else on the
 * call's PATH; a script is told from a binary.
 */
class ExecutablesTest {

    @TempDir
    Path temp;
    Path a;
    Path b;

    @BeforeEach
    void setUp() throws IOException {
        a = Files.createDirectories(temp.resolve("a"));
        b = Files.createDirectories(temp.resolve("b"));
    }

    @Test
    void aNameIsLookedUpOnTheCallsPathInOrder() throws IOException {
        executable(b.resolve("my-compiler"));
        Path first = executable(a.resolve("my-compiler"));
        assertEquals(Optional.of(first), Executables.find("my-compiler", Map.of("PATH", a + ":" + b), temp));
        assertEquals(Optional.of(b.resolve("my-compiler")),
                Executables.find("my-compiler", Map.of("PATH", b + ":" + a), temp));
        assertEquals(Optional.empty(), Executables.find("my-compiler", Map.of("PATH", "/usr/bin:/bin"), temp));
    }

    @Test
    void aNameWithASlashIsAPathFromTheCallsDirectory() throws IOException {
        Path tool = executable(a.resolve("tool"));
        assertEquals(Optional.of(temp.resolve("a/tool")), Executables.find("a/tool", Map.of(), temp));
        assertEquals(Optional.of(tool), Executables.find(tool.toString(), Map.of("PATH", ""), Path.of("/")));
        assertEquals(Optional.empty(), Executables.find("a/tool", Map.of(), b), "relative to the call, not the JVM");
    }

    @Test
    void onlyExecutableRegularFilesCount() throws IOException {
        Files.writeString(a.resolve("plain"), "not executable");
        Files.createDirectories(a.resolve("dir"));
        Path realOne = executable(b.resolve("plain"));
        Map<String, String> env = Map.of("PATH", a + ":" + b);
        assertEquals(Optional.of(realOne), Executables.find("plain", env, temp), "a non-executable file is skipped");
        assertEquals(Optional.empty(), Executables.find("dir", env, temp));
        assertEquals(Optional.empty(), Executables.find(a.resolve("dir").toString(), env, temp));
        assertEquals(Optional.empty(), Executables.find(a.resolve("plain").toString(), env, temp));
        assertEquals(Optional.empty(), Executables.find("", env, temp));
    }

    @Test
    void emptyPathEntriesNeverMeanTheWorkingDirectory() throws IOException {
        executable(temp.resolve("here"));
        assertEquals(Optional.empty(), Executables.find("here", Map.of("PATH", ":" + a + "::"), temp));
    }

    @Test
    void aSymlinkToAnExecutableIsFoundUnderItsOwnName() throws IOException {
        Path target = executable(a.resolve("rustc"));
        Path link = Files.createSymbolicLink(b.resolve("my-compiler"), target);
        assertEquals(Optional.of(link), Executables.find("my-compiler", Map.of("PATH", b.toString()), temp));
    }

    /** Every call asks whether its compiler is a script: the binary is read once per stamp, not per call. */
    @Test
    void whetherABinaryIsAScriptIsReadOncePerStamp() throws IOException {
        Path compiler = temp.resolve("compiler");
        Files.writeString(compiler, "#!/bin/sh\n");
        FileTime mtime = Files.getLastModifiedTime(compiler);
        String stamp = ToolchainIdentity.stamp(compiler.toRealPath());
        assertTrue(Executables.isScript(compiler, stamp));

        // Same size, same mtime: the stamp the banner memo trusts too, so the answer is not read again.
        Files.writeString(compiler, "\u007fELF\n\0\0\0\0\0");
        Files.setLastModifiedTime(compiler, mtime);
        assertEquals(stamp, ToolchainIdentity.stamp(compiler.toRealPath()));
        assertTrue(Executables.isScript(compiler, stamp), "read again for an unchanged stamp");

        Files.setLastModifiedTime(compiler, FileTime.fromMillis(mtime.toMillis() + 1000));
        assertFalse(Executables.isScript(compiler, ToolchainIdentity.stamp(compiler.toRealPath())));
    }

    private static Path executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
