package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.rustc.ToolchainMemo;
import java.io.IOException;
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
 * only for a compiler whose {@code -vV} is rustc's banner, and cargo clippy's {@code clippy-driver
 * RUSTC -vV} only when both binaries' banners are the same text (clippy-driver drops the rustc
 * argument and answers with the banner of the rustc it is built on); never when the environment holds a
 * {@code RUSTC_OVERRIDE_*} variable (rustc's test suite rewrites its version string with one). Any
 * doubt, or a failure to read the memo, passes the call through as before.
 */
final class BannerAnswer {

    static final String PROBE = "-vV";

    private BannerAnswer() {
    }

    /**
     * The compiler's stdout for {@code inv} when it is exactly {@code COMPILER -vV}, or cargo clippy's
     * {@code clippy-driver RUSTC -vV}, and the memo can tell it.
     */
    static Optional<String> of(Invocation inv, ToolchainMemo memo) {
        List<String> args = inv.args();
        if (args.size() < 2 || args.size() > 3 || !PROBE.equals(args.get(args.size() - 1))) {
            return Optional.empty();
        }
        try {
            Optional<CompilerChain> chain = CompilerChain.of(inv, args.size() - 1, memo);
            // clippy-driver answers with the banner of the rustc it is built on: only when the two are the same text.
            if (chain.isEmpty() || !chain.get().banners().stream().allMatch(b -> b.startsWith("rustc ")
                    && b.equals(chain.get().banners().get(0)))) {
                return Optional.empty();
            }
            return Optional.of(chain.get().banners().get(0));
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("rustc -vV is passed through: " + e.getMessage());
            return Optional.empty();
        }
    }
}
