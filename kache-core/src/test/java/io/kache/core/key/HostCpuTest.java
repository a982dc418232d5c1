package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class HostCpuTest {

    @TempDir
    Path dir;

    @Test
    void twoProcessorsOfOneKindAreOneDescriptionAndAHybridCpuListsBothKinds() {
        String p = "processor\t: %d\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 151\n"
                + "core id\t: %d\nflags\t\t: %s\n\n";
        HostCpu one = HostCpu.fromCpuinfo(p.formatted(0, 0, "sse2 avx2"));
        HostCpu two = HostCpu.fromCpuinfo(p.formatted(0, 0, "sse2 avx2") + p.formatted(1, 1, "sse2 avx2"));
        assertEquals(one.description(), two.description());
        HostCpu hybrid = HostCpu.fromCpuinfo(p.formatted(0, 0, "sse2 avx2") + p.formatted(1, 1, "sse2"));
        assertNotEquals(one.description(), hybrid.description());
        assertTrue(hybrid.description().orElseThrow().contains("flags: sse2\n"), hybrid.toString());
    }

    @Test
    void anArmCpuIsToldByImplementerPartAndFeatures() {
        String a72 = "processor\t: 0\nFeatures\t: fp asimd crc32\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n";
        String n1 = "processor\t: 0\nFeatures\t: fp asimd crc32\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n";
        assertNotEquals(HostCpu.fromCpuinfo(a72).description(), HostCpu.fromCpuinfo(n1).description());
        assertTrue(HostCpu.fromCpuinfo(a72).description().isPresent());
    }

    @Test
    void aFileWithoutIdentifyingLinesOrNoFileIsUnknown() throws Exception {
        assertEquals(Optional.empty(), HostCpu.fromCpuinfo("processor: 0\ncpu MHz: 100\n").description());
        assertEquals(Optional.empty(), HostCpu.read(dir.resolve("absent")).description());
        Files.writeString(dir.resolve("cpuinfo"), "vendor_id: AuthenticAMD\ncpu family: 25\n");
        assertEquals(Optional.of("cpu family: 25\nvendor_id: AuthenticAMD"), HostCpu.read(dir.resolve("cpuinfo")).description());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisMachinesCpuIsKnown() {
        assertTrue(HostCpu.system().description().orElseThrow().contains("flags: "), HostCpu.system().toString());
    }
}
