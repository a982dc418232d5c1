package io.kache.core.wrapper;

import io.kache.core.Invocation;
import java.util.Optional;

/**
 * What {@link RustcWrapper#prepare} makes of one wrapped call, before anything of it ran or was
 * written. The JVM wrapper ({@link RustcWrapper#run}) and the kache server act on it, each in its
 * own way: only a {@link Cacheable} call is kache's to run.
 */
public sealed interface CallOutcome {

    /**
     * A call kache caches: served from the cache, or compiled and stored. Holds the opened store
     * until {@link #run} closes it.
     */
    record Cacheable(WrappedCall call) implements CallOutcome {

        /**
         * Serves the call from the cache or compiles it, with rustc's output written to the call's
         * streams as it comes, and closes the store.
         *
         * @return the exit code of the call (rustc's)
         */
        public int run() {
            try {
                int exit = new CachedCompile(call).run();
                // What a call hashes is its main cost after start-up: shown with KACHE_LOG=debug.
                if (WrapperLog.isDebug()) {
                    WrapperLog.debug(call.rustc().crateName() + ": " + call.store().hashes().filesHashed()
                            + " file(s) read to hash (the rest came from the memo)");
                }
                return exit;
            } finally {
                RustcWrapper.closeQuietly(call.store());
            }
        }
    }

    /**
     * A call kache runs unchanged, already counted in the store under {@code reason}: whoever acts
     * runs the command as it came, with the call's own streams.
     */
    record PassThrough(String reason) implements CallOutcome {
    }

    /**
     * A call kache answers without starting the compiler, because its whole output is known
     * exactly ({@code rustc -vV}, from the banner memo: {@link BannerAnswer}; cargo's target-info
     * probe, from a remembered run of it: {@link TargetInfoAnswer}); counted in the store under
     * {@code reason} as the pass-through it replaces.
     *
     * @param stdout what the compiler would print on stdout; it prints nothing on stderr and exits 0
     */
    record Answered(String stdout, String reason) implements CallOutcome {

        /** Writes the answer to the call's stdout; returns the exit code, 0. */
        public int answer(Invocation inv) {
            inv.out().print(stdout);
            inv.out().flush();
            return 0;
        }
    }

    /**
     * kache is not ready for the call — it is disabled, its configuration is broken, its store
     * cannot open — and nothing was counted or said. The JVM wrapper says {@code notice} (if any)
     * through {@link UserNotices} (once per build, never on rustc's stderr) and runs the call
     * unchanged; the server declines it silently, so that the client runs it in a JVM, which says why.
     *
     * @param reason why, for the debug log
     * @param notice what the JVM wrapper tells the user, if anything
     * @param topic what the notice is about
     */
    record Decline(String reason, Optional<String> notice, UserNotices.Topic topic) implements CallOutcome {

        /** A decline with nothing to say. */
        Decline(String reason) {
            this(reason, Optional.empty(), UserNotices.Topic.CONFIG);
        }
    }
}
