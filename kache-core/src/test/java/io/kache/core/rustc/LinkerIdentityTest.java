package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.kache.core.hash.FileHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkerIdentityTest {

    static final FileHasher SHA256 = file -> {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    };

    @TempDir
    Path temp;
    Path binA;
    Path binB;

    @BeforeEach
    void setUp() throws IOException {
        binA = Files.createDirectories(temp.resolve("a/bin"));
        binB = Files.createDirectories(temp.resolve("b/bin"));
    }

    @Test
    void defaultLinkerIsCcFoundOnPathAndIdentifiedByContent() throws IOException {
        executable(binA.resolve("gcc-13"), "gcc 13");
        Files.createSymbolicLink(binA.resolve("cc"), binA.resolve("gcc-13"));
        executable(binB.resolve("cc"), "clang 18");
        String a = LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA + ":" + binB), temp, SHA256);
        assertEquals("gcc-13:" + SHA256.sha256(binA.resolve("gcc-13")), a);
        String b = LinkerIdentity.of(Optional.empty(), Map.of("PATH", binB + ":" + binA), temp, SHA256);
        assertEquals("cc:" + SHA256.sha256(binB.resolve("cc")), b);
    }

    @Test
    void sameBinaryAtTwoPlacesIsTheSameLinker() throws IOException {
        executable(binA.resolve("cc"), "gcc 13");
        executable(binB.resolve("cc"), "gcc 13");
        assertEquals(LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA.toString()), temp, SHA256),
                LinkerIdentity.of(Optional.empty(), Map.of("PATH", binB.toString()), temp, SHA256));
    }

    @Test
    void explicitLinkerByNameOrPath() throws IOException {
        executable(binA.resolve("clang"), "clang 18");
        executable(binA.resolve("cc"), "gcc 13");
        Map<String, String> env = Map.of("PATH", binA.toString());
        String byName = LinkerIdentity.of(Optional.of("clang"), env, temp, SHA256);
        assertEquals("clang:" + SHA256.sha256(binA.resolve("clang")), byName);
        assertEquals(byName, LinkerIdentity.of(Optional.of("a/bin/clang"), env, temp, SHA256));
        assertNotEquals(byName, LinkerIdentity.of(Optional.empty(), env, temp, SHA256));
    }

    @Test
    void unresolvedLinkerIsNamed() throws IOException {
        Files.createDirectories(binA.resolve("cc"));
        assertEquals("unresolved:cc", LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA.toString()), temp, SHA256));
        assertEquals("unresolved:./nope", LinkerIdentity.of(Optional.of("./nope"), Map.of(), temp, SHA256));
    }

    /**
     * A linker wrapper script ({@code exec cc "$@" $LDEXTRA}) links another object when a variable
     * says so: its identity holds its environment, without cargo's per-unit variables.
     */
    @Test
    void aLinkerScriptIsKeyedByItsContentAndItsEnvironment() throws IOException {
        Path wrap = binA.resolve("cc-wrap");
        script(wrap, "exec cc \"$@\" $LDEXTRA");
        Map<String, String> env1 = new java.util.HashMap<>(Map.of("PATH", binA.toString(), "LDEXTRA", "/x/m1.o",
                "CARGO_PKG_NAME", "one"));
        String one = LinkerIdentity.of(Optional.of(wrap.toString()), env1, temp, SHA256);
        assertEquals(one, LinkerIdentity.of(Optional.of(wrap.toString()), env1, temp, SHA256), "the same call again");

        Map<String, String> env2 = new java.util.HashMap<>(env1);
        env2.put("LDEXTRA", "/x/m2.o");
        assertNotEquals(one, LinkerIdentity.of(Optional.of(wrap.toString()), env2, temp, SHA256));

        Map<String, String> otherUnit = new java.util.HashMap<>(env1);
        otherUnit.put("CARGO_PKG_NAME", "two");
        otherUnit.put("OUT_DIR", "/t/out");
        assertEquals(one, LinkerIdentity.of(Optional.of(wrap.toString()), otherUnit, temp, SHA256),
                "cargo's per-unit variables are not the linker's identity");

        script(wrap, "exec cc \"$@\" /x/m2.o");
        assertNotEquals(one, LinkerIdentity.of(Optional.of(wrap.toString()), env1, temp, SHA256), "edited");
    }

    /** A compiled linker is its content alone: an unrelated variable does not change it. */
    @Test
    void aCompiledLinkerIgnoresTheEnvironment() throws IOException {
        executable(binA.resolve("cc"), "gcc 13");
        assertEquals(LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA.toString()), temp, SHA256),
                LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA.toString(), "LDEXTRA", "/x/m2.o"), temp,
                        SHA256));
    }

    private static void script(Path file, String line) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A compiled linker: its first bytes are no {@code #!}. */
    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, "\u007fELF " + content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
