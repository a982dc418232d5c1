package io.kache.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.testkit.Deadline;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientWatchTest {

    @Test
    void aCommandIsInterruptedOnceItsClientEndsAndItsThreadLeavesUninterrupted() throws Exception {
        Process client = new ProcessBuilder("sleep", "60").start();
        AtomicInteger gone = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        Thread killer = new Thread(() -> {
            try {
                running.await();
                // The watch looks its client up first thing on the timer's one thread: a client gone
                // before that runs unwatched, so it ends only once a task queued after it has run.
                ServerTimer.TIMER.submit(() -> { }).get();
                client.destroy();
                client.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        AtomicInteger returned = new AtomicInteger();
        assertThrows(ClientWatch.Stopped.class, () -> ClientWatch.run(client.pid(), () -> {
            running.countDown();
            OptionalInt exit = sleepUntilInterrupted();
            returned.set(exit.getAsInt());
            return exit;
        }, gone::incrementAndGet), "what a stopped command returns is nobody's answer");
        assertEquals(130, returned.get(), "interrupted");
        assertFalse(Thread.currentThread().isInterrupted(), "the thread serves the next request uninterrupted");
        Thread.sleep(3 * ClientWatch.EVERY.toMillis());
        assertEquals(1, gone.get(), "said once");
        killer.join();
    }

    @Test
    void aCommandWhoseClientLivesRunsToItsEnd() {
        AtomicInteger gone = new AtomicInteger();
        OptionalInt exit = ClientWatch.run(ProcessHandle.current().pid(), () -> {
            try {
                Thread.sleep(3 * ClientWatch.EVERY.toMillis());
                return OptionalInt.of(0);
            } catch (InterruptedException e) {
                return OptionalInt.of(130);
            }
        }, gone::incrementAndGet);
        assertEquals(OptionalInt.of(0), exit);
        assertEquals(0, gone.get());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /** A client whose pid this server cannot see (another pid namespace) is not taken for gone: the command runs unwatched. */
    @Test
    void aClientPidThatIsNotHereRunsUnwatched() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        AtomicInteger gone = new AtomicInteger();
        OptionalInt exit = ClientWatch.run(ended.pid(), () -> {
            try {
                Thread.sleep(3 * ClientWatch.EVERY.toMillis());
                return OptionalInt.of(0);
            } catch (InterruptedException e) {
                return OptionalInt.of(130);
            }
        }, gone::incrementAndGet);
        assertEquals(OptionalInt.of(0), exit);
        assertEquals(0, gone.get());
    }

    /**
     * A dead client that nobody reaps (a container whose first process does not) is gone, though
     * {@link ProcessHandle#isAlive()} counts a zombie as alive. Here the zombie is the child of a
     * process that exec'd into one that never waits.
     */
    @Test
    void aZombieClientIsGone() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & exec sleep 60").start();
        try {
            Deadline.in(Duration.ofSeconds(10)).await("the child to start", () -> parent.toHandle().children()
                    .findFirst().isPresent());
            ProcessHandle child = parent.toHandle().children().findFirst().orElseThrow();
            Deadline.in(Duration.ofSeconds(10)).await("the child to end", () -> ClientWatch.zombie(child.pid()));
            AtomicInteger gone = new AtomicInteger();
            assertThrows(ClientWatch.Stopped.class, () -> ClientWatch.run(child.pid(),
                    ClientWatchTest::sleepUntilInterrupted, gone::incrementAndGet));
            assertEquals(1, gone.get());
        } finally {
            parent.destroy();
            parent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static OptionalInt sleepUntilInterrupted() {
        try {
            Thread.sleep(30_000);
            return OptionalInt.of(0);
        } catch (InterruptedException e) {
            return OptionalInt.of(130);
        }
    }
}
