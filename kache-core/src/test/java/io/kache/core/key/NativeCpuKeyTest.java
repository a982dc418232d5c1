package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code native} target CPU is keyed by the host's CPU: LLVM emits that machine's instructions. */
class NativeCpuKeyTest {

    private static final HostCpu AVX512 = HostCpu.fromCpuinfo(
            "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\nflags\t\t: fpu sse2 avx2 avx512f\n");
    private static final HostCpu AVX2 = HostCpu.fromCpuinfo(
            "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nflags\t\t: fpu sse2 avx2\n");

    @TempDir
    Path ws;

    private RustcCall call(String... more) {
        List<String> args = new ArrayList<>(List.of("--crate-name", "cpu", "src/lib.rs", "--crate-type", "lib",
                "--emit=dep-info,metadata,link", "--out-dir", ws.resolve("out").toString()));
        args.addAll(List.of(more));
        return (RustcCall) RustcArgsParser.parse(Path.of("/usr/bin/rustc"), args, ws);
    }

    private KeyContext context(HostCpu cpu) {
        return new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)), Map.of(), ws, "",
                Optional.empty(), Sha256Files.HASHER).withHostCpu(cpu);
    }

    private String key(RustcCall call, HostCpu cpu) throws Exception {
        return CacheKeyRecipe.callKey(call, context(cpu));
    }

    @Test
    void aNativeTargetCpuIsKeyedByTheHostsCpu() throws Exception {
        for (RustcCall call : List.of(call("-C", "target-cpu=native"), call("--codegen", "target-cpu=native"),
                call("-Ctarget-cpu=native"), call("-C", "target_cpu=native"), call("-Z", "tune-cpu=native"),
                call("-Ztune_cpu=native"))) {
            assertNotEquals(key(call, AVX512), key(call, AVX2), call.keyArgs().toString());
            assertEquals(key(call, AVX512), key(call, HostCpu.fromCpuinfo(
                    "processor: 7\nvendor_id: GenuineIntel\ncpu family: 6\nmodel: 143\nstepping: 8\n"
                            + "cpu MHz: 3100.2\nflags: fpu sse2 avx2 avx512f\nbugs: spectre_v1\n")),
                    "stepping, clock and bugs do not change what LLVM picks");
        }
    }

    @Test
    void aNamedTargetCpuKeepsItsKeyOnEveryCpu() throws Exception {
        for (RustcCall call : List.of(call(), call("-Ctarget-cpu=skylake"), call("-Ctarget-cpu=nativeish"),
                call("-Ctarget-feature=+avx2"))) {
            assertEquals(key(call, AVX512), key(call, AVX2), call.keyArgs().toString());
            assertEquals(key(call, AVX512), key(call, new HostCpu(Optional.empty())));
        }
    }

    @Test
    void aNativeTargetCpuOnAnUnknownCpuIsNotCached() {
        UncacheableCallException e = assertThrows(UncacheableCallException.class,
                () -> key(call("-Ctarget-cpu=native"), new HostCpu(Optional.empty())));
        assertEquals(HostCpu.UNKNOWN, e.reason());
    }
}
