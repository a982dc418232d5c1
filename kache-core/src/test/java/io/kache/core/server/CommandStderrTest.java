package io.kache.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CommandStderr}: a command's {@code System.err} is its own, the threads it starts share it
 * while it runs, and a thread that outlives the command no longer writes to that command's client.
 */
class CommandStderrTest {

    @Test
    void aThreadStartedByACommandWritesToItWhileItRunsAndNotAfter() throws Exception {
        CommandStderr.install();
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(client, true, StandardCharsets.UTF_8);
        CountDownLatch wroteEarly = new CountDownLatch(1);
        CountDownLatch commandOver = new CountDownLatch(1);
        CountDownLatch wroteLate = new CountDownLatch(1);
        Thread[] kept = new Thread[1];
        CommandStderr.during(err, () -> {
            System.err.println("from the command");
            // A thread the command starts and that outlives it, as a common-pool worker does.
            kept[0] = new Thread(() -> {
                System.err.println("from its thread while it runs");
                wroteEarly.countDown();
                try {
                    commandOver.await();
                } catch (InterruptedException e) {
                    return;
                }
                System.err.println("from its thread after it ended");
                wroteLate.countDown();
            });
            kept[0].start();
            try {
                wroteEarly.await(10, TimeUnit.SECONDS);   // its first line comes before the command ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        commandOver.countDown();
        wroteLate.await(10, TimeUnit.SECONDS);
        kept[0].join(10_000);
        assertEquals("from the command\nfrom its thread while it runs\n", client.toString(StandardCharsets.UTF_8));
    }

    @Test
    void outsideACommandTheServersStderrIsUsed() {
        CommandStderr.install();
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        CommandStderr.during(new PrintStream(client, true, StandardCharsets.UTF_8), () -> null);
        System.err.println("a line of the server's own");
        assertEquals("", client.toString(StandardCharsets.UTF_8));
    }
}
