package io.kache.core.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.EntryReader;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.pack.PackLimits;
import io.kache.core.store.LocalStore;
import io.kache.core.store.StoreFaults;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one fetch and the one send: what they move, what they skip, their retries and their deadline. */
class EntryTransferTest {

    private static final ArtifactKey KEY = new ArtifactKey("serde", "a".repeat(64));
    private static final RetryPolicy THREE = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);

    @TempDir
    Path temp;
    LocalStore here;
    LocalStore there;
    MemoryRemote remote = new MemoryRemote();
    byte[] content = "rlib bytes".repeat(100).getBytes();

    @BeforeEach
    void setUp() throws IOException {
        here = LocalStore.open(temp.resolve("here"), 1L << 30);
        there = LocalStore.open(temp.resolve("there"), 1L << 30);
        Path out = Files.createDirectories(temp.resolve("out"));
        Files.write(out.resolve("libserde.rlib"), content);
        here.put(KEY, List.of(new OutputFile("libserde.rlib", out.resolve("libserde.rlib"))), null, null, Map.of());
    }

    @AfterEach
    void close() throws IOException {
        here.close();
        there.close();
    }

    @Test
    void aSentEntryIsFetchedOnAnotherMachineAndTheStagedPackIsGone() throws IOException {
        Path staging = here.newTemp("upload.tar.zst");
        EntryTransfer.Result sent = new EntryTransfer(remote, here).send(KEY, 3, staging, once());
        assertEquals(EntryTransfer.Outcome.MOVED, sent.outcome());
        assertEquals(remote.objects.get(KEY).length, sent.bytes());
        assertFalse(Files.exists(staging));

        try (LocalStore fresh = LocalStore.open(temp.resolve("fresh"), 1L << 30)) {
            EntryTransfer.Result fetched = new EntryTransfer(remote, fresh).fetch(KEY, once());
            assertEquals(new EntryTransfer.Result(EntryTransfer.Outcome.MOVED, sent.bytes()), fetched);
            EntryManifest m = fresh.lookup(KEY).orElseThrow();
            Path restored = Files.createDirectories(temp.resolve("restored"));
            fresh.restore(m, restored);
            assertArrayEquals(content, Files.readAllBytes(restored.resolve("libserde.rlib")));
        }
    }

    @Test
    void whatIsAlreadyHereOrNotAtTheSourceDoesNotMove() throws IOException {
        assertEquals(EntryTransfer.Outcome.PRESENT,
                new EntryTransfer(remote, here).fetch(KEY, once()).outcome());
        assertEquals(0, remote.loads.get(), "a present entry costs no request");
        assertEquals(EntryTransfer.Outcome.ABSENT,
                new EntryTransfer(remote, there).fetch(KEY, once()).outcome());
        Path staging = there.newTemp("upload.tar.zst");
        assertEquals(EntryTransfer.Outcome.ABSENT,
                new EntryTransfer(remote, there).send(KEY, 3, staging, once()).outcome());
        assertFalse(Files.exists(staging));
        assertEquals(EntryTransfer.Outcome.ABSENT, new EntryTransfer(Optional::empty, there, Optional.empty())
                .fetch(KEY, once()).outcome(), "no remote applies");
    }

    @Test
    void retryableFailuresAreRetriedUnderThePolicyPassedInAndNoMore() throws IOException {
        new EntryTransfer(remote, here).send(KEY, 3, here.newTemp("upload.tar.zst"), once());
        remote.failuresLeft.set(2);
        Attempts attempts = new Attempts(THREE, Attempts.Observer.NONE);
        assertEquals(EntryTransfer.Outcome.MOVED,
                new EntryTransfer(remote, there).fetch(KEY, attempts).outcome());
        assertEquals(3, attempts.count());

        try (LocalStore other = LocalStore.open(temp.resolve("other"), 1L << 30)) {
            remote.failuresLeft.set(2);
            Attempts single = once();
            assertThrows(StoreUnavailableException.class,
                    () -> new EntryTransfer(remote, other).fetch(KEY, single));
            assertEquals(1, single.count());
        }
    }

    @Test
    void aLocalFailureIsNotRetried() {
        Attempts attempts = new Attempts(THREE, Attempts.Observer.NONE);
        Path nowhere = temp.resolve("missing-dir").resolve("pack");
        assertThrows(NoSuchFileException.class, () -> new EntryTransfer(remote, here).send(KEY, 3, nowhere, attempts));
        assertEquals(0, attempts.count());
        assertTrue(remote.objects.isEmpty());
    }

    @Test
    void aFetchPastItsDeadlineEndsThereWithTheDeadlineNamed() throws Exception {
        new EntryTransfer(remote, here).send(KEY, 3, here.newTemp("upload.tar.zst"), once());
        CountDownLatch release = new CountDownLatch(1);
        remote.blockLoadsUntil = release;
        try {
            Duration deadline = Duration.ofMillis(200);
            long begin = System.nanoTime();
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                    () -> new EntryTransfer(() -> Optional.of(remote), there, Optional.of(deadline))
                            .fetch(KEY, once()));
            assertEquals(deadline, e.deadline());
            assertEquals("no answer within 200ms", e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(Duration.ofSeconds(5)) < 0);
        } finally {
            release.countDown();
        }
    }

    /** An entry of {@code size} incompressible bytes, sent to the remote: its pack is about as large. */
    private ArtifactKey largeEntry(int size) throws IOException {
        ArtifactKey key = new ArtifactKey("big", "b".repeat(64));
        byte[] bytes = new byte[size];
        new java.util.Random(42).nextBytes(bytes);
        Path out = Files.createDirectories(temp.resolve("out-big"));
        Files.write(out.resolve("libbig.rlib"), bytes);
        here.put(key, List.of(new OutputFile("libbig.rlib", out.resolve("libbig.rlib"))), null, null, Map.of());
        new EntryTransfer(remote, here).send(key, 3, here.newTemp("upload.tar.zst"), once());
        return key;
    }

    /**
     * A large entry on a modest link: 384 KiB at about 400 KiB/s takes about a second, four times the
     * deadline, with bytes arriving all along. That is not a hung remote: the fetch ends and the entry
     * is here.
     */
    @Test
    void aFetchThatKeepsReceivingIsNotCutAtItsDeadline() throws Exception {
        ArtifactKey big = largeEntry(384 * 1024);
        remote.pace(16 * 1024, 40);
        Duration deadline = Duration.ofMillis(250);
        long begin = System.nanoTime();

        EntryTransfer.Result result = new EntryTransfer(() -> Optional.of(remote), there, Optional.of(deadline))
                .fetch(big, once());

        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertEquals(EntryTransfer.Outcome.MOVED, result.outcome());
        assertTrue(there.contains(big));
        assertTrue(took > deadline.toMillis(), "the transfer outlasted the deadline (" + took + " ms): the point");
    }

    /** One byte every so often never stalls, but would hold a build's call for minutes: given up as too slow. */
    @Test
    void aTrickleIsGivenUpAsTooSlowNotAsNoAnswer() throws Exception {
        ArtifactKey big = largeEntry(64 * 1024);
        remote.pace(16, 20);
        Duration deadline = Duration.ofMillis(250);
        long begin = System.nanoTime();

        try {
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                    () -> new EntryTransfer(() -> Optional.of(remote), there, Optional.of(deadline)).fetch(big, once()));

            assertTrue(e.getMessage().startsWith("too slow: ") && e.getMessage().contains(" KiB/s"), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(Duration.ofSeconds(5)) < 0,
                    "given up within a few deadlines");
            assertFalse(there.contains(big));
        } finally {
            remote.cut = true;
            awaitAbandonedTransfers();
        }
    }

    /** However steady, a transfer does not outlive ten deadlines: a call never waits longer for its entry. */
    @Test
    void aSteadyButLongTransferEndsAtItsCap() throws Exception {
        ArtifactKey big = largeEntry(1024 * 1024);
        remote.pace(8 * 1024, 50);
        Duration deadline = Duration.ofMillis(100);
        long begin = System.nanoTime();
        try {
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                    () -> new EntryTransfer(() -> Optional.of(remote), there, Optional.of(deadline)).fetch(big, once()));

            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertTrue(e.getMessage().startsWith("too slow: "), e.getMessage());
            assertTrue(took >= 900 && took < 4_000, "given up at about ten deadlines: " + took + " ms, " + e.getMessage());
            assertFalse(there.contains(big));
        } finally {
            remote.cut = true;
            awaitAbandonedTransfers();
        }
    }

    /** A transfer given up is left to end on its own thread: wait for it before the store closes. */
    private static void awaitAbandonedTransfers() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("kache-transfer")) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    /** Some bytes, then none: given up a deadline after the last one, and said to have stalled. */
    @Test
    void aBodyThatStopsComingIsGivenUpAsStalled() throws Exception {
        ArtifactKey big = largeEntry(64 * 1024);
        CountDownLatch release = new CountDownLatch(1);
        remote.stallAfter(4096, release);
        try {
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                    () -> new EntryTransfer(() -> Optional.of(remote), there, Optional.of(Duration.ofMillis(250)))
                            .fetch(big, once()));
            assertTrue(e.getMessage().startsWith("stalled: no data for 250ms after "), e.getMessage());
        } finally {
            release.countDown();
            awaitAbandonedTransfers();
        }
    }

    /**
     * The remote answers at once while this machine's store is busy: another process holds its lock
     * (a collection there) for four deadlines. That wait is this machine's, not the remote's "no
     * answer": the fetch ends once the lock is let go, with the entry here.
     */
    @Test
    void aLocalStoreBusyForLongerThanTheDeadlineDoesNotMakeTheRemoteLookSilent() throws Exception {
        new EntryTransfer(remote, here).send(KEY, 3, here.newTemp("upload.tar.zst"), once());
        Duration deadline = Duration.ofMillis(500);
        Process holder = holdStoreLock(there);
        Thread letGo = new Thread(() -> {
            try {
                remote.answered.await();
                Thread.sleep(deadline.multipliedBy(4).toMillis());
            } catch (InterruptedException e) {
                // The fetch ended first: let go now.
            }
            holder.destroyForcibly();
        });
        letGo.start();
        try {
            long begin = System.nanoTime();
            EntryTransfer.Result result = new EntryTransfer(() -> Optional.of(remote), there, Optional.of(deadline))
                    .fetch(KEY, once());

            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertEquals(EntryTransfer.Outcome.MOVED, result.outcome());
            assertTrue(there.contains(KEY));
            assertTrue(took >= deadline.multipliedBy(4).toMillis(), "the store held the fetch up beyond its deadline: "
                    + took + " ms");
        } finally {
            letGo.interrupt();
            letGo.join();
            holder.waitFor();
            awaitAbandonedTransfers();
        }
    }

    /**
     * A store held up for good: the fetch still ends, twenty deadlines after it began, as the local
     * store's failure, so that no caller marks the remote failed for it.
     */
    @Test
    void aFetchItsOwnStoreHoldsUpForTwentyDeadlinesFailsAsTheLocalStoresNotTheRemotes() throws Exception {
        new EntryTransfer(remote, here).send(KEY, 3, here.newTemp("upload.tar.zst"), once());
        Duration deadline = Duration.ofMillis(100);
        Process holder = holdStoreLock(there);
        try {
            long begin = System.nanoTime();
            LocalImportException e = assertThrows(LocalImportException.class,
                    () -> new EntryTransfer(() -> Optional.of(remote), there, Optional.of(deadline)).fetch(KEY, once()));

            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertEquals(KEY, e.key());
            assertTrue(e.getMessage().startsWith("the local store could not take it: still importing 2s after the fetch"
                    + " began"), e.getMessage());
            assertTrue(took >= 2_000 && took < 30_000, "given up at twenty deadlines: " + took + " ms");
            assertFalse(there.contains(KEY));
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
            awaitAbandonedTransfers();
        }
    }

    /** Another process holding {@code store}'s lock, as a collection there does; returns once it holds it. */
    private static Process holdStoreLock(LocalStore store) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                StoreLockHolder.class.getName(), store.root().resolve("store.lock").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"locked".equals(line)) {
            p.destroyForcibly();
            throw new IOException("the lock holder did not take the lock: " + line);
        }
        return p;
    }

    @Test
    void anObjectLargerThanAnyPackIsRefusedUnreadAndNotRetried() throws Exception {
        new EntryTransfer(remote, here).send(KEY, 3, here.newTemp("upload.tar.zst"), once());
        remote.announcedSize = PackLimits.defaults().maxPackBytes() + 1;
        Attempts attempts = new Attempts(THREE, Attempts.Observer.NONE);
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                () -> new EntryTransfer(remote, there).fetch(KEY, attempts));
        assertTrue(e.getMessage().contains(KEY.toString()) && e.getMessage().contains("more than any pack"),
                e.getMessage());
        assertEquals(0, remote.bytesServed.get(), "not a byte downloaded");
        assertEquals(1, attempts.count());
        assertFalse(there.contains(KEY));
    }

    @Test
    void aLocalStoreThatCannotTakeTheEntryIsItsOwnFailureNotTheRemotesAndIsNotRetried() throws IOException {
        new EntryTransfer(remote, here).send(KEY, 3, here.newTemp("upload.tar.zst"), once());
        StoreFaults.cannotTakeFiles(there.root());
        Attempts attempts = new Attempts(THREE, Attempts.Observer.NONE);

        LocalImportException e = assertThrows(LocalImportException.class,
                () -> new EntryTransfer(remote, there).fetch(KEY, attempts));

        assertTrue(e.getMessage().startsWith("the local store could not take it: "), e.getMessage());
        assertEquals(KEY, e.key());
        assertEquals(1, attempts.count(), "a full disk is not the remote's to retry");
        assertEquals(1, remote.loads.get());
        assertFalse(there.contains(KEY));
    }

    @Test
    void aRemoteStreamThatBreaksMidwayStaysTheRemotesFailure() throws IOException {
        new EntryTransfer(remote, here).send(KEY, 3, here.newTemp("upload.tar.zst"), once());
        remote.breakStreamsAfter = 40;
        Attempts attempts = new Attempts(THREE, Attempts.Observer.NONE);

        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> new EntryTransfer(remote, there).fetch(KEY, attempts));

        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
        assertEquals(3, attempts.count(), "the remote's failure is retried");
        assertFalse(there.contains(KEY));
    }

    private static Attempts once() {
        return new Attempts(RetryPolicy.DEFAULT, Attempts.Observer.NONE);
    }

    /** Objects in memory; loads may fail as unavailable a number of times, or block. */
    private static final class MemoryRemote implements ArtifactStore {
        final Map<ArtifactKey, byte[]> objects = new ConcurrentHashMap<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger loads = new AtomicInteger();
        final AtomicLong bytesServed = new AtomicLong();
        /** Counted down when a load hands its body to the reader: the remote has answered. */
        final CountDownLatch answered = new CountDownLatch(1);
        volatile CountDownLatch blockLoadsUntil;
        /** The size a load announces, as a Content-Length would; -1: the object's own. */
        volatile long announcedSize = -1;
        /** Bytes a load's stream serves before it fails as a dropped connection; -1: it does not. */
        volatile long breakStreamsAfter = -1;
        /** At most this many bytes per read, each after {@link #paceMillis}; 0: as fast as it can. */
        volatile int paceBytes;
        volatile long paceMillis;
        /** Bytes a load's stream serves before it waits for {@link #stallUntil}; -1: it does not. */
        volatile long stallAfter = -1;
        volatile CountDownLatch stallUntil;
        /** Set: every slowed stream breaks at its next read. */
        volatile boolean cut;

        void pace(int bytes, long millis) {
            paceBytes = bytes;
            paceMillis = millis;
        }

        void stallAfter(long bytes, CountDownLatch until) {
            stallUntil = until;
            stallAfter = bytes;
        }

        /** A link of limited pace, or one that stops sending after some bytes. */
        private InputStream slowed(InputStream in) {
            int chunk = paceBytes;
            long millis = paceMillis;
            long stall = stallAfter;
            CountDownLatch until = stallUntil;
            if (chunk <= 0 && stall < 0) {
                return in;
            }
            return new java.io.FilterInputStream(in) {
                long served;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        if (cut) {
                            throw new IOException("connection reset");
                        }
                        if (stall >= 0 && served >= stall) {
                            until.await();
                            throw new IOException("connection reset");
                        }
                        int max = len;
                        if (chunk > 0) {
                            Thread.sleep(millis);
                            max = Math.min(max, chunk);
                        }
                        if (stall >= 0) {
                            max = (int) Math.min(max, stall - served);
                        }
                        int n = super.read(b, off, max);
                        served += Math.max(n, 0);
                        return n;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                }
            };
        }

        private static InputStream breaking(InputStream in, long after) {
            return new java.io.FilterInputStream(in) {
                long served;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (served >= after) {
                        throw new IOException("connection reset");
                    }
                    int n = super.read(b, off, (int) Math.min(len, after - served));
                    served += Math.max(n, 0);
                    return n;
                }
            };
        }

        @Override
        public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
            loads.incrementAndGet();
            if (blockLoadsUntil != null) {
                try {
                    blockLoadsUntil.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false; // a remote that never answered in time: the late answer touches nothing
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StoreUnavailableException("503 SlowDown");
            }
            byte[] bytes = objects.get(key);
            if (bytes == null) {
                return false;
            }
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            try (InputStream body = slowed(breakStreamsAfter < 0 ? in : breaking(in, breakStreamsAfter))) {
                answered.countDown();
                reader.read(body, announcedSize >= 0 ? announcedSize : bytes.length);
            } catch (StoreException e) {
                throw e;
            } catch (IOException e) {
                throw new StoreUnavailableException(e.getMessage(), e);
            } finally {
                bytesServed.addAndGet(bytes.length - in.available());
            }
            return true;
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
            try (InputStream in = source.open()) {
                objects.put(key, in.readAllBytes());
            } catch (IOException e) {
                throw new StoreUnavailableException(e.getMessage(), e);
            }
        }

        @Override
        public boolean contains(ArtifactKey key) {
            return objects.containsKey(key);
        }

        @Override
        public Stream<ArtifactKey> list(String crateName) {
            return objects.keySet().stream().filter(k -> k.crateName().equals(crateName));
        }

        @Override
        public Stream<ArtifactKey> listAll() {
            return objects.keySet().stream();
        }

        @Override
        public void close() {
        }
    }
}
