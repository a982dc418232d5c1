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
        if (args.size() < 2 || args.size() > 3 || !PROBE.equals(args.get(args.size() - 1))
                || inv.env().keySet().stream().anyMatch(k -> k.startsWith("RUSTC_OVERRIDE"))) {
            return Optional.empty();
        }
        try {
            CompilerKinds kinds = new CompilerKinds(memo);
            ToolchainIdentity identity = new ToolchainIdentity(memo);
            Optional<String> answer = Optional.empty();
            for (int i = 0; i < args.size() - 1; i++) {
                Optional<Path> binary = Executables.find(args.get(i), inv.env(), inv.cwd());
                if (binary.isEmpty()) {
                    return Optional.empty();
                }
                CompilerKinds.Kind kind = kinds.kind(binary.get(), inv.env(), inv.cwd());
                // In a chain the first is clippy-driver, which drops the rustc after it and answers -vV
                // itself, and the second is rustc; answered only when the two banners are the same text.
                boolean fits = kind.answersAsRustc() && (args.size() == 2
                        || (i == 0) == kind.clippyVersion().isPresent());
                if (!fits) {
                    return Optional.empty();
                }
                String banner = identity.banner(binary.get(), inv.env(), inv.cwd());
                if (!banner.startsWith("rustc ") || !CompilerKinds.isRustcBanner(banner)
                        || answer.isPresent() && !answer.get().equals(banner)) {
                    return Optional.empty();
                }
                answer = Optional.of(banner);
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            WrapperLog.debug("rustc -vV is passed through: " + e.getMessage());
            return Optional.empty();
        }
    }
}
