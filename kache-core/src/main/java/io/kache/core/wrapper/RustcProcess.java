package io.kache.core.wrapper;

import io.kache.core.CallerEnvironment;
import io.kache.core.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs rustc. A passthrough inherits the call's streams untouched; a compile relays stdout and
 * stderr line by line as they come (cargo starts dependent crates as soon as it reads the
 * {@code .rmeta} notification) while keeping a copy of each.
 */
final class RustcProcess {

    /** How long a killed rustc is given to be gone: a killed process ends at once, unless the kernel holds it. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private RustcProcess() {
    }

    /** What a compile printed and how it ended. */
    record Result(int exitCode, byte[] stdout, byte[] stderr) {
    }

    /**
     * Runs the call unchanged, as kache was never there: its own command, environment and streams.
     * The one home of a passthrough, whoever decides on it (the setup, or a cached compile that
     * cannot go on); counting it is the caller's, who knows whether a store is open.
     *
     * @param reason why, for the debug log
     * @return the compiler's exit code, or 127 when it cannot be run (said on the call's stderr)
     */
    static int passthrough(Invocation inv, String reason) {
        List<String> command = inv.args();
        if (WrapperLog.isDebug()) {
            WrapperLog.debug("passthrough (" + reason + "): " + command);
        }
        try {
            return run(command, inv);
        } catch (IOException e) {
            inv.err().println("kache: cannot run " + command.get(0) + ": " + e.getMessage());
            return 127;
        }
    }

    /** Runs {@code command} with the call's environment and streams, unchanged; returns its exit code. */
    private static int run(List<String> command, Invocation inv) throws IOException {
        ProcessBuilder pb = builder(command, inv);
        boolean processStreams = inv.out() == System.out && inv.err() == System.err && inv.in() == System.in;
        if (processStreams) {
            pb.inheritIO();
            return waitFor(start(pb));
        }
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process p = start(pb);
        Thread out = pump(p.getInputStream(), inv.out(), null, UnaryOperator.identity());
        Thread err = pump(p.getErrorStream(), inv.err(), null, UnaryOperator.identity());
        int code = waitFor(p);
        join(out);
        join(err);
        return code;
    }

    /**
     * Runs a compile, relaying each line through {@code relay} (e.g. sentinel expansion) while
     * capturing the raw lines.
     */
    static Result compile(List<String> command, Invocation inv, UnaryOperator<String> relay) throws IOException {
        ProcessBuilder pb = builder(command, inv);
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process p = start(pb);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread out = pump(p.getInputStream(), inv.out(), stdout, relay);
        Thread err = pump(p.getErrorStream(), inv.err(), stderr, relay);
        int code = waitFor(p);
        join(out);
        join(err);
        return new Result(code, stdout.toByteArray(), stderr.toByteArray());
    }

    /** Runs {@code command} for its side effects only, output discarded; returns its exit code. */
    static int quiet(List<String> command, Invocation inv) throws IOException {
        ProcessBuilder pb = builder(command, inv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        return waitFor(start(pb));
    }

    /**
     * Starts the process, unless the call was stopped: in the server, a call whose client is gone
     * is interrupted ({@code ClientWatch}), and whatever step it was in, nothing is started for it.
     */
    private static Process start(ProcessBuilder pb) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("the call was stopped: rustc not started");
        }
        return pb.start();
    }

    private static ProcessBuilder builder(List<String> command, Invocation inv) {
        if (WrapperLog.isDebug()) {
            WrapperLog.debug("running " + command);
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(inv.cwd().toFile());
        CallerEnvironment.applyTo(pb.environment(), JobserverBridge.childEnv(inv));
        return pb;
    }

    private static Thread pump(InputStream from, OutputStream to, ByteArrayOutputStream copy,
                               UnaryOperator<String> relay) {
        Thread t = new Thread(() -> {
            boolean[] readerGone = new boolean[1];
            try (from) {
                LineSplitter.forEachLine(from, line -> {
                    if (copy != null) {
                        copy.write(line);
                    }
                    if (!readerGone[0]) {
                        try {
                            relayLine(line, to, relay);
                        } catch (IOException e) {
                            // Whoever reads our output is gone (a killed build): keep draining the
                            // child's pipe, or rustc would block on it and never exit.
                            readerGone[0] = true;
                        }
                    }
                });
            } catch (IOException e) {
                // The child's stream broke: its exit code still decides the outcome.
            }
        }, "rustc-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void relayLine(byte[] line, OutputStream to, UnaryOperator<String> relay) throws IOException {
        String text = new String(line, StandardCharsets.UTF_8);
        String shown = relay.apply(text);
        to.write(shown.equals(text) ? line : shown.getBytes(StandardCharsets.UTF_8));
        to.flush();
    }

    /**
     * The exit code of {@code p}. Interrupted (in the server: the call's client is gone), it stops
     * {@code p} and throws: the caller stores nothing of a compile cut short.
     */
    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            stop(p);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the call was stopped: rustc killed");
        }
    }

    /**
     * Kills {@code p} and what it started (rustc runs the linker; a proc-macro or a build tool may
     * start more), then waits for {@code p} to end, so that once the call returns (and releases the
     * call key's lock) no compile of it still writes its outputs. Forcibly: nobody waits for its
     * output, and a rustc deep in code generation would take its time over a gentler signal.
     * Started between the listing and the kill, a child would be missed: rustc starts its linker once.
     */
    private static void stop(Process p) {
        List<ProcessHandle> started = p.descendants().toList();
        p.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // Interrupted already: the caller keeps the status.
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
