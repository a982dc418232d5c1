package io.kache.core.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The host's CPU as {@code -C target-cpu=native} (and {@code -Z tune-cpu=native}) resolves it: LLVM
 * picks the CPU model and the instruction set extensions of the machine that compiles. An object built
 * that way on a machine with AVX-512 dies with an illegal instruction on one without it, so such a call
 * is keyed by this description and an entry never crosses to another kind of CPU through a shared
 * remote or a store restored on another runner.
 *
 * <p>Read from {@code /proc/cpuinfo}, which the kernel fills from the same CPUID (x86) or ID registers
 * (Arm: implementer and part, which LLVM reads from this very file) that LLVM's host detection reads:
 * the vendor, family, model and feature flags of every processor, as a sorted set of distinct lines (a
 * hybrid CPU lists more than one kind). The stepping, microcode, clock and bug lines are left out: LLVM
 * does not choose by them, and they would only cost sharing. Where no such file or line exists, the
 * CPU is unknown, and a call asking for {@code native} is not cached.
 *
 * <p>Asking rustc ({@code --print cfg -C target-cpu=native}) would be exact, but costs a compiler run
 * per toolchain, and a remembered answer could travel with a store copied to another machine.
 * The machine's own description is read once per process, and only when a call asks for
 * {@code native}: other calls never pay for it.
 */
public final class HostCpu {

    /** What {@code UncacheableCallException} counts such a call under. */
    static final String UNKNOWN = "host CPU unknown for a native target CPU";

    private static final Set<String> IDENTIFYING = Set.of(
            // x86
            "vendor_id", "cpu family", "model", "flags",
            // Arm
            "CPU implementer", "CPU architecture", "CPU variant", "CPU part", "Features",
            // RISC-V, POWER, s390x
            "isa", "uarch", "mmu", "cpu", "features", "facilities");

    private static final HostCpu SYSTEM = new HostCpu(() -> read(Path.of("/proc/cpuinfo")).description());

    private final Supplier<Optional<String>> source;
    private volatile Optional<String> description;

    private HostCpu(Supplier<Optional<String>> source) {
        this.source = source;
    }

    /** A CPU of {@code description}: the lines that identify it, or empty when unknown. */
    public HostCpu(Optional<String> description) {
        this(() -> description);
    }

    /** The machine this process runs on. */
    public static HostCpu system() {
        return SYSTEM;
    }

    /** The lines that identify the CPU, or empty when unknown. */
    public Optional<String> description() {
        Optional<String> d = description;
        if (d == null) {
            d = source.get();
            description = d;
        }
        return d;
    }

    @Override
    public String toString() {
        return "HostCpu[" + description().orElse("unknown") + "]";
    }

    /** The CPU that {@code cpuinfo} (a file in {@code /proc/cpuinfo}'s format) describes; unknown when unreadable. */
    static HostCpu read(Path cpuinfo) {
        try {
            return fromCpuinfo(Files.readString(cpuinfo, StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return new HostCpu(Optional.empty());
        }
    }

    /** The CPU that {@code text}, in {@code /proc/cpuinfo}'s format, describes. */
    static HostCpu fromCpuinfo(String text) {
        TreeSet<String> lines = new TreeSet<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            if (IDENTIFYING.contains(name)) {
                lines.add(name + ": " + line.substring(colon + 1).strip());
            }
        }
        return new HostCpu(lines.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", lines)));
    }
}
