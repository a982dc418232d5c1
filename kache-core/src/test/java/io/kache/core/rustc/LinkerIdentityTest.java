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

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, "#!/bin/sh\n# " + content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
