package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.rustc.CompilerKinds;
import io.kache.core.rustc.Executables;
import io.kache.core.rustc.ToolchainIdentity;
import io.kache.core.rustc.ToolchainMemo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The compilers in front of a probe kache answers itself ({@link BannerAnswer}, {@link
 * TargetInfoAnswer}): rustc (or clippy-driver) alone, or cargo clippy's {@code clippy-driver RUSTC}, each found on the
 * call's {@code PATH} and its {@code -vV} banner taken from the memo. Anything else, or a call whose
 * environment rewrites rustc's version ({@code RUSTC_OVERRIDE_*}, as rustc's test suite does), is
 * no such chain and its probe runs as it came.
 *
 * @param binaries each compiler as found on the call's {@code PATH}
 * @param banners each one's {@code -vV} banner, in order
 */
record CompilerChain(List<Path> binaries, List<String> banners) {

    /** The first {@code count} arguments of {@code inv} as a chain (1: rustc; 2: clippy-driver, rustc). */
    static Optional<CompilerChain> of(Invocation inv, int count, ToolchainMemo memo) throws IOException {
        List<String> args = inv.args();
        if (count < 1 || count > 2 || args.size() < count
                || inv.env().keySet().stream().anyMatch(k -> k.startsWith("RUSTC_OVERRIDE"))) {
            return Optional.empty();
        }
        CompilerKinds kinds = new CompilerKinds(memo);
        ToolchainIdentity identity = new ToolchainIdentity(memo);
        List<Path> binaries = new ArrayList<>();
        List<String> banners = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Optional<Path> binary = Executables.find(args.get(i), inv.env(), inv.cwd());
            if (binary.isEmpty()) {
                return Optional.empty();
            }
            CompilerKinds.Kind kind = kinds.kind(binary.get(), inv.env(), inv.cwd());
            // Alone, rustc or clippy-driver (both answer as rustc); in a chain the first is clippy-driver,
            // which drops the rustc after it and answers probes itself, and the second is rustc.
            if (!kind.answersAsRustc() || count == 2 && kind.clippyVersion().isPresent() != (i == 0)) {
                return Optional.empty();
            }
            String banner = identity.banner(binary.get(), inv.env(), inv.cwd());
            if (!CompilerKinds.isRustcBanner(banner)) {
                return Optional.empty();
            }
            binaries.add(binary.get());
            banners.add(banner);
        }
        return Optional.of(new CompilerChain(List.copyOf(binaries), List.copyOf(banners)));
    }

    /** Whether any of the compilers is rustup's proxy, which picks a toolchain per call. */
    boolean anyRustupProxy() throws IOException {
        for (Path b : binaries) {
            if (ToolchainIdentity.isRustupProxy(b.toRealPath())) {
                return true;
            }
        }
        return false;
    }

    /** What identifies the binaries while they stay put: each one's resolved path, size and modification time. */
    String stamps() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path b : binaries) {
            sb.append(ToolchainIdentity.stamp(b.toRealPath()));
        }
        return sb.toString();
    }
}
