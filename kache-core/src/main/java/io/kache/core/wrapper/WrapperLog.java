package io.kache.core.wrapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wrapper's debug logger, created on first use: a cache hit that logs nothing never pays for
 * SLF4J's start-up. What the user must see goes through {@link UserNotices}, never here: in a wrapper
 * call this logger writes to rustc's stderr, which cargo keeps with the unit and replays.
 */
final class WrapperLog {

    private WrapperLog() {
    }

    private static final class Holder {
        static final Logger LOG = LoggerFactory.getLogger("io.kache.wrapper");
    }

    private static volatile boolean debug;

    /** Turns on debug output for this process ({@code KACHE_LOG=debug}). */
    static void enableDebug() {
        debug = true;
        System.setProperty("org.slf4j.simpleLogger.log.io.kache", "debug");
    }

    /** Whether debug output is on: callers check it before building a message on the hot path. */
    static boolean isDebug() {
        return debug;
    }

    static void debug(String message) {
        if (debug) {
            Holder.LOG.debug(message);
        }
    }
}
