package io.kache.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what is written to {@code System.err} while an action runs: slf4j-simple, the test
 * binding, logs there, so a test can assert that no secret reached a log line. Not for parallel
 * tests: {@code System.err} is global.
 */
public final class SystemErrCapture {

    /** An action that may throw anything. */
    @FunctionalInterface
    public interface Action {
        void run() throws Throwable;
    }

    private SystemErrCapture() {
    }

    /**
     * Runs {@code action} and returns what it wrote to {@code System.err}; a throwable from the
     * action is swallowed, since the caller asserts on the outcome separately.
     */
    public static String of(Action action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } catch (Throwable expected) {
            // The outcome is asserted by the caller; only the output matters here.
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
