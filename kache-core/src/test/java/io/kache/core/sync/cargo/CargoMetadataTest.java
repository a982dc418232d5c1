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
}
