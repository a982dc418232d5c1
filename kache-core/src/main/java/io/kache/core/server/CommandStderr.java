package io.kache.core.server;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The server's {@code System.err}, routed per command. What a command run for a client writes there
 * goes to that client's stderr, as it would from a JVM of its own: chiefly SLF4J's simple logger,
 * which writes to {@code System.err} as it is at each line, with the local store's own warnings (a
 * damaged entry dropped on push, a blob quarantined). Anything else goes where the server's stderr
 * went (/dev/null as kache-client starts it, a log file in a benchmark). Threads a command starts
 * inherit its stream (a sync's transfer pool). A thread that outlives its command (one the JVM's
 * common pool created while the command ran, and keeps) writes where the server's stderr went once
 * the command is over: its client may be long gone (and what such a thread does later for another
 * command goes there too, not to that command's client). A compiler call never gets one: its stderr is
 * rustc's, which cargo keeps and replays; what it must say goes through the build's notices.
 */
final class CommandStderr {

    private static final InheritableThreadLocal<Route> COMMAND = new InheritableThreadLocal<>();
    private static boolean installed;

    private CommandStderr() {
    }

    /** Puts the router in place of {@code System.err}, once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        PrintStream server = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                target(server).write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                target(server).write(b, off, len);
            }

            @Override
            public void flush() {
                target(server).flush();
            }
        }, true));
        installed = true;
    }

    /** Runs {@code command} with this thread's (and its new threads') {@code System.err} going to {@code err}. */
    static <T> T during(PrintStream err, Supplier<T> command) {
        Route route = new Route(err);
        COMMAND.set(route);
        try {
            return command.get();
        } finally {
            route.open = false;
            COMMAND.remove();
        }
    }

    private static PrintStream target(PrintStream server) {
        Route route = COMMAND.get();
        return route != null && route.open ? route.err : server;
    }

    /** One command's stderr, shared with the threads it started, and whether that command still runs. */
    private static final class Route {
        final PrintStream err;
        volatile boolean open = true;

        Route(PrintStream err) {
            this.err = err;
        }
    }
}
