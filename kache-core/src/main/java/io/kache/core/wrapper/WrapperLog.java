package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.server.ServerDirectory;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The wrapper's debug lines ({@code KACHE_LOG=debug}): what it runs, why a call passed through, how
 * many files a call hashed. Never on rustc's stderr, where SLF4J's simple logger would put them:
 * cargo keeps that stream with the unit and replays it on every build in which the unit is fresh,
 * mixed with the compiler's own output. They go to a file in the user's server directory instead:
 * the server's log in the kache server, {@link #JVM_LOG} for calls run in a JVM of their own. Off,
 * a line costs one volatile read: the hit path opens no file for it. What the user must see goes
 * through {@link UserNotices}, never here.
 */
public final class WrapperLog {

    /** The debug log of the calls run in a JVM of their own, in the user's server directory. */
    public static final String JVM_LOG = "wrapper.log";

    /** Where debug lines go; null while debug output is off. */
    private static volatile Consumer<String> sink;

    private WrapperLog() {
    }

    /** Whether {@code env} asks for debug output ({@code KACHE_LOG=debug}). */
    public static boolean asked(Map<String, String> env) {
        return "debug".equals(env.get("KACHE_LOG"));
    }

    /**
     * Turns debug output on for the rest of this process, its lines going to {@code log}: set by the
     * kache server, for its own log, when a call or its start asks for it.
     */
    public static void logTo(Consumer<String> log) {
        sink = log;
    }

    /**
     * Turns debug output on for this JVM's call, its lines appended to {@link #JVM_LOG} in the user's
     * server directory with the time and this JVM's pid (the calls of a build run side by side), which
     * is rotated to {@code wrapper.log.1} past {@link BoundedLog#MAX_BYTES}. Where
     * that directory is refused too, debug output stays off: rustc's stderr is no place for it.
     */
    static void logForJvm(Invocation inv) {
        ServerDirectory dir;
        try {
            dir = ServerDirectory.ofUser(inv.env(), new com.sun.security.auth.module.UnixSystem().getUid());
        } catch (IOException | RuntimeException e) {
            return;
        }
        String pid = " [" + ProcessHandle.current().pid() + "] ";
        BoundedLog log = new BoundedLog(dir, JVM_LOG, BoundedLog.MAX_BYTES, BoundedLog.MEASURE_EVERY);
        logTo(line -> {
            try {
                log.append(Instant.now() + pid + line + "\n");
            } catch (IOException e) {
                // Diagnosis only: the call goes on without it.
            }
        });
    }

    /** Whether debug output is on: callers check it before building a message on the hot path. */
    static boolean isDebug() {
        return sink != null;
    }

    static void debug(String message) {
        Consumer<String> log = sink;
        if (log != null) {
            log.accept(message);
        }
    }
}
