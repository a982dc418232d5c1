package io.kache.core.wrapper;

import io.kache.core.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs rustc. A passthrough inherits the call's streams untouched; a compile relays stdout and
 * stderr line by line as they come (cargo starts dependent crates as soon as it reads the
 * {@code .rmeta} notification) while keeping a copy of each.
 */
final class RustcProcess {

    private RustcProcess() {
    }

    /** What a compile printed and how it ended. */
    record Result(int exitCode, byte[] stdout, byte[] stderr) {
    }

    /** Runs {@code command} with the call's environment and streams, unchanged; returns its exit code. */
    static int passthrough(List<String> command, Invocation inv) throws IOException {
        ProcessBuilder pb = builder(command, inv);
        boolean processStreams = inv.out() == System.out && inv.err() == System.err && inv.in() == System.in;
        if (processStreams) {
            pb.inheritIO();
            return waitFor(pb.start());
        }
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
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
        Process p = pb.start();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread out = pump(p.getInputStream(), inv.out(), stdout, relay);
        Thread err = pump(p.getErrorStream(), inv.err(), stderr, relay);
        int code = waitFor(p);
        join(out);
        join(err);
        return new Result(code, stdout.toByteArray(), stderr.toByteArray());
    }

    private static ProcessBuilder builder(List<String> command, Invocation inv) {
        WrapperLog.debug("running " + command);
        ProcessBuilder pb = new ProcessBuilder(command).directory(inv.cwd().toFile());
        pb.environment().clear();
        pb.environment().putAll(JobserverBridge.childEnv(inv));
        return pb;
    }

    private static Thread pump(InputStream from, OutputStream to, ByteArrayOutputStream copy,
                               UnaryOperator<String> relay) {
        Thread t = new Thread(() -> {
            try (from) {
                LineSplitter.forEachLine(from, line -> {
                    if (copy != null) {
                        copy.write(line);
                    }
                    String text = new String(line, java.nio.charset.StandardCharsets.UTF_8);
                    String shown = relay.apply(text);
                    if (shown.equals(text)) {
                        to.write(line);
                    } else {
                        to.write(shown.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                    to.flush();
                });
            } catch (IOException e) {
                // The child's stream broke: its exit code still decides the outcome.
            }
        }, "rustc-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for rustc", e);
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
