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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
            assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(Duration.ofSeconds(5)) < 0);
        } finally {
            release.countDown();
        }
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
        volatile CountDownLatch blockLoadsUntil;
        /** The size a load announces, as a Content-Length would; -1: the object's own. */
        volatile long announcedSize = -1;
        /** Bytes a load's stream serves before it fails as a dropped connection; -1: it does not. */
        volatile long breakStreamsAfter = -1;

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
            try (InputStream body = breakStreamsAfter < 0 ? in : breaking(in, breakStreamsAfter)) {
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
