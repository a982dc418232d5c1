package io.kache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LowPriorityTest {

    @TempDir
    Path tmp;

    private Path tool(Path bin, String name) throws Exception {
        return Files.createFile(bin.resolve(name), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @Test
    void theUploaderStartsAtALowerPriorityWhereNiceAndIoniceAreInstalled() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        List<String> dirs = List.of(bin.toString());
        assertEquals(List.of(), LowPriority.prefix(LowPriority.Level.UPLOADS, dirs), "neither installed: normal priority");
        Path nice = tool(bin, "nice");
        assertEquals(List.of(nice.toString(), "-n", "5"), LowPriority.prefix(LowPriority.Level.UPLOADS, dirs));
        Path ionice = tool(bin, "ionice");
        assertEquals(List.of(nice.toString(), "-n", "5", ionice.toString(), "-c", "2", "-n", "7"),
                LowPriority.prefix(LowPriority.Level.UPLOADS, dirs));
    }

    @Test
    void spareWorkRunsInWhatTheBuildLeaves() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path nice = tool(bin, "nice");
        Path ionice = tool(bin, "ionice");
        assertEquals(List.of(nice.toString(), "-n", "19", ionice.toString(), "-c", "3"),
                LowPriority.prefix(LowPriority.Level.SPARE, List.of(bin.toString())));
    }
}
