package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.Invocation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Wrapper or CLI: a compiler is any executable named first, kache's own commands excepted. */
class MainTest {

    @TempDir
    Path temp;

    @Test
    void anyExecutableNamedFirstIsACompilerWhateverItsName() throws IOException {
        Path tools = Files.createDirectories(temp.resolve("opt/tools"));
        Path compiler = executable(tools.resolve("my-compiler"));
        Map<String, String> path = Map.of("PATH", tools.toString());
        assertTrue(Main.isWrapperCall(call(path, compiler.toString(), "-vV")));
        assertTrue(Main.isWrapperCall(call(path, "my-compiler", "-vV")), "a name on the call's PATH");
        assertTrue(Main.isWrapperCall(call(path, "opt/tools/my-compiler")), "a path from the call's directory");
        assertFalse(Main.isWrapperCall(call(Map.of("PATH", "/usr/bin:/bin"), "my-compiler")));
        assertFalse(Main.isWrapperCall(call(path, tools.resolve("missing").toString())));
        assertFalse(Main.isWrapperCall(call(path, "--version")));
        assertFalse(Main.isWrapperCall(call(path)));
    }

    @Test
    void kachesCommandsStayCommandsWhateverIsOnPath() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        for (String command : Main.COMMANDS) {
            executable(bin.resolve(command));
            assertFalse(Main.isWrapperCall(call(Map.of("PATH", bin.toString()), command)), command);
        }
    }

    @Test
    void theCommandListIsPicocliS() {
        Invocation inv = call(Map.of());
        assertEquals(Main.COMMANDS, new CommandLine(new KacheCli(inv)).getSubcommands().keySet());
    }

    private Invocation call(Map<String, String> env, String... args) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        return new Invocation(List.of(args), env, temp, new ByteArrayInputStream(new byte[0]), discard, discard);
    }

    private static Path executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
