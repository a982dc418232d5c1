package io.kache.core.key;

import com.fasterxml.jackson.jr.ob.JSON;
import io.kache.core.rustc.RustcCall;
import io.kache.core.rustc.UnkeyedReads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A custom target spec (a JSON file) as rustc finds it for {@code --target}, and what in it kache
 * cannot key. rustc takes a name ending in {@code .json} as a file; any other name not built in is
 * looked up as {@code NAME.json} (a {@code /} in it allowed) in each directory of
 * {@code RUST_TARGET_PATH}, where an empty element, or the variable unset, is the working directory
 * (found by a hunt: a spec in the working directory was keyed by its name, and an edited spec served
 * the old build). A built-in name shadows such a file in rustc: keying the file too costs only
 * sharing, or caching when the file is one kache cannot key. Not looked at: rustc's last place,
 * {@code <sysroot>/lib/rustlib/NAME/target.json}, inside the toolchain.
 *
 * <p>A spec's linker ({@code "linker"}) and the link arguments and objects it adds name programs and
 * files kache's keys never read ({@link LinkInputs} and the linker's identity look at the call's
 * arguments), and a spec whose debuginfo is split by default writes {@code .dwo}/{@code .dwp} files a
 * hit would not restore: a call that links with such a spec, or that compiles with a split default,
 * runs rustc unchanged. So does a spec whose {@code "cpu"} is {@code native} (the host's CPU, keyed
 * only for {@code -C target-cpu=native}) or whose {@code "llvm-args"} read a file (found by hunts). The toolchain's own {@code rust-lld} is keyed with the toolchain.
 */
record TargetSpec(Path path) {

    static final String OWN_LINKING = "custom target spec names its own linker or link arguments";
    static final String SPLIT_DEBUGINFO = "custom target spec splits debuginfo by default";
    static final String NATIVE_CPU = "custom target spec compiles for the host's CPU";
    static final String LLVM_FILE = "custom target spec gives LLVM a file kache does not key";

    /** The spec {@code call} is compiled for, or empty for the host or a target found as no file. */
    static Optional<TargetSpec> of(RustcCall call, KeyContext ctx) {
        if (call.target().isEmpty()) {
            return Optional.empty();
        }
        String t = call.target().get();
        if (t.endsWith(".json")) {
            Path spec = ctx.cwd().resolve(t);
            return Files.isRegularFile(spec) ? Optional.of(new TargetSpec(spec)) : Optional.empty();
        }
        String targetPath = ctx.env().getOrDefault("RUST_TARGET_PATH", "");
        for (String dir : targetPath.split(":", -1)) {
            Path found = ctx.cwd().resolve(dir).resolve(t + ".json");
            if (Files.isRegularFile(found)) {
                return Optional.of(new TargetSpec(found));
            }
        }
        return Optional.empty();
    }

    /**
     * @throws UncacheableCallException if the spec names what kache does not key for this call (see
     *     the class comment), or cannot be read as JSON (rustc will say why)
     */
    void checkKeyable(RustcCall call, Path cwd) throws IOException {
        Map<String, Object> spec;
        try {
            spec = JSON.std.mapFrom(Files.readString(path));
        } catch (IOException | RuntimeException e) {
            throw new UncacheableCallException("custom target spec unreadable", path + ": " + e.getMessage());
        }
        if (call.links()) {
            Object linker = spec.get("linker");
            if (linker != null && !"rust-lld".equals(linker)) {
                throw new UncacheableCallException(OWN_LINKING, path + " names the linker " + linker);
            }
            for (Map.Entry<String, Object> e : spec.entrySet()) {
                if ((e.getKey().contains("link-args") || e.getKey().contains("link-objects")) && !isEmpty(e.getValue())) {
                    throw new UncacheableCallException(OWN_LINKING, path + " has " + e.getKey());
                }
            }
        }
        if ("native".equals(spec.get("cpu"))) {
            // LLVM takes the host's CPU, which only -C target-cpu=native adds to the key (HostCpu).
            throw new UncacheableCallException(NATIVE_CPU, path + " sets cpu native");
        }
        Object llvmArgs = spec.get("llvm-args");
        if (llvmArgs instanceof Collection<?> args) {
            List<String> options = args.stream().map(String::valueOf).toList();
            if (UnkeyedReads.llvmArgsNameAFile(options, cwd)) {
                throw new UncacheableCallException(LLVM_FILE, path + " gives LLVM options that read a file");
            }
        }
        Object split = spec.get("split-debuginfo");
        if (split != null && !"off".equals(split) && !call.keyArgs().stream().anyMatch(a -> a.startsWith("-Csplit-debuginfo="))) {
            throw new UncacheableCallException(SPLIT_DEBUGINFO, path + " sets split-debuginfo " + split);
        }
    }

    private static boolean isEmpty(Object value) {
        return value == null || value instanceof Map<?, ?> m && m.values().stream().allMatch(TargetSpec::isEmpty)
                || value instanceof Collection<?> c && c.isEmpty();
    }
}
