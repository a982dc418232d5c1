package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.rustc.CompilerKinds;
import io.kache.core.rustc.Executables;
import io.kache.core.rustc.ToolchainIdentity;
import io.kache.core.rustc.ToolchainMemo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Answers {@code rustc -vV} from the banner memo instead of starting rustc. cargo asks it twice at
 * the start of every build (its {@code .rustc_info.json} cache is gone after {@code cargo clean}),
 * one call after the other before any compile, and each passed-through probe cost the build about
 * 16 ms on its critical path: a few percent of a warm build.
 *
 * <p>The answer is the binary's own: {@link ToolchainIdentity} keeps the exact stdout of
 * {@code -vV} per real binary (path, size, modification time; a rustup proxy resolved per toolchain
 * selection), asked once, and the cache key already rests on it. Only that exact call is answered,
 * only for a compiler whose {@code -vV} is rustc's banner, and never when the environment holds a
 * {@code RUSTC_OVERRIDE_*} variable (rustc's test suite rewrites its version string with one). Any
 * doubt, or a failure to read the memo, passes the call through as before.
 */
final class BannerAnswer {

    static final String PROBE = "-vV";

    private BannerAnswer() {
    }

    /** rustc's stdout for {@code inv} when it is exactly {@code COMPILER -vV} and the memo can tell it. */
    static Optional<String> of(Invocation inv, ToolchainMemo memo) {
        List<String> args = inv.args();
        if (args.size() != 2 || !PROBE.equals(args.get(1))
                || inv.env().keySet().stream().anyMatch(k -> k.startsWith("RUSTC_OVERRIDE"))) {
            return Optional.empty();
        }
        try {
            Optional<Path> compiler = Executables.find(args.get(0), inv.env(), inv.cwd());
            if (compiler.isEmpty() || !new CompilerKinds(memo).kind(compiler.get(), inv.env(), inv.cwd()).answersAsRustc()) {
                return Optional.empty();
            }
            String banner = new ToolchainIdentity(memo).banner(compiler.get(), inv.env(), inv.cwd());
            return banner.startsWith("rustc ") && banner.contains("\nrelease: ") ? Optional.of(banner) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("rustc -vV is passed through: " + e.getMessage());
            return Optional.empty();
        }
    }
}
