package io.kache.core.sync.cargo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CargoMetadataTest {

    @TempDir
    Path tmp;

    /**
     * The cargo that runs is the call's, on the call's PATH: in the kache server the JVM's own PATH
     * is that of whoever started it, which may hold another cargo or none.
     */
    @Test
    void runsTheCargoOnTheCallsPathNotTheJvms() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("toolchain/bin"));
        Path cargo = bin.resolve("cargo");
        Files.writeString(cargo, "#!/bin/sh\necho '{\"workspace_members\":[],\"packages\":[],"
                + "\"workspace_root\":\"/the/calls/cargo\",\"target_directory\":\"/the/calls/cargo/target\"}'\n");
        Files.setPosixFilePermissions(cargo, PosixFilePermissions.fromString("rwxr-xr-x"));
        CargoMetadata m = CargoMetadata.read(tmp, Optional.empty(), Map.of("PATH", bin + ":/usr/bin:/bin"), true);
        assertEquals(Path.of("/the/calls/cargo"), m.workspaceRoot());

        IOException none = assertThrows(IOException.class,
                () -> CargoMetadata.read(tmp, Optional.empty(), Map.of("PATH", tmp.resolve("empty").toString()), true));
        assertTrue(none.getMessage().contains("no cargo on the PATH of this call"), none.getMessage());
    }

    /** A cargo that answers and leaves a child holding its output is read at once, not when the child ends. */
    @Test
    void aChildLeftHoldingCargosOutputDoesNotHoldTheRead() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("toolchain/bin"));
        Path cargo = bin.resolve("cargo");
        Files.writeString(cargo, "#!/bin/sh\nsleep 30 &\necho '{\"workspace_members\":[],\"packages\":[],"
                + "\"workspace_root\":\"/ws\",\"target_directory\":\"/ws/target\"}'\n");
        Files.setPosixFilePermissions(cargo, PosixFilePermissions.fromString("rwxr-xr-x"));
        long start = System.nanoTime();
        CargoMetadata m = CargoMetadata.read(tmp, Optional.empty(), Map.of("PATH", bin + ":/usr/bin:/bin"), true);
        assertEquals(Path.of("/ws"), m.workspaceRoot());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "waited " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /** cargo's failure names the command and cargo's first error line. */
    @Test
    void aFailingCargoIsNamedWithItsFirstErrorLine() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("toolchain/bin"));
        Path cargo = bin.resolve("cargo");
        Files.writeString(cargo, "#!/bin/sh\necho 'warning: odd' >&2\necho 'error: no Cargo.toml here' >&2\nexit 101\n");
        Files.setPosixFilePermissions(cargo, PosixFilePermissions.fromString("rwxr-xr-x"));
        IOException e = assertThrows(IOException.class,
                () -> CargoMetadata.read(tmp, Optional.empty(), Map.of("PATH", bin + ":/usr/bin:/bin"), true));
        assertTrue(e.getMessage().endsWith("metadata --format-version 1 --no-deps failed (exit 101): error: no Cargo.toml here"),
                e.getMessage());
    }
}
