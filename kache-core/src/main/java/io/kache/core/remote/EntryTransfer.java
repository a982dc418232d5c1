package io.kache.core.remote;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.StoreException;
import io.kache.core.pack.PackLimits;
import io.kache.core.store.ImportBudget;
import io.kache.core.store.LocalStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/**
 * The one way an entry moves between the local store and a remote, for every caller: {@code kache
 * sync} (pull and push), the wrapper's read-through (fetch) and the write-back (send). A caller
 * passes its deadline here and its retry policy, as {@link Attempts}, to each call; the remote's
 * client keeps its own per-request retries (S3: {@code S3RetryPolicy}), so callers that want no
 * more pass {@link RetryPolicy#DEFAULT}.
 *
 * <p>A fetch is unpacked and verified while it streams (every file against its SHA-256) and visible
 * only when complete, so the entry is ready for a build's lookup; the store indexes it by its call key
 * ({@link LocalStore#importPack}). A send exports the
 * entry once to a staged pack that the remote may read again for its retries and multipart uploads.
 */
public final class EntryTransfer {

    /** The remote, opened when a transfer first needs it: within the deadline, since resolving credentials may run a process or ask the network. */
    @FunctionalInterface
    public interface Remote {
        /** The remote; empty when none applies (then nothing is there to fetch). */
        Optional<ArtifactStore> open() throws StoreException;
    }

    /** What a transfer found. */
    public enum Outcome {
        /** The entry moved. */
        MOVED,
        /** Already at the destination (a fetch only): another process brought it meanwhile. */
        PRESENT,
        /** Not at the source: gone from the remote (fetch) or from the local store (send). */
        ABSENT,
        /**
         * Not kept (a fetch only): the run's {@link ImportBudget} is spent, so the entry, if it was
         * downloaded, was verified and dropped, and no later fetch of the run downloads anything.
         */
        NOT_KEPT
    }

    /**
     * What one transfer did.
     *
     * @param outcome what it found
     * @param bytes packed bytes moved
     */
    public record Result(Outcome outcome, long bytes) {
        static final Result PRESENT = new Result(Outcome.PRESENT, 0);
        static final Result ABSENT = new Result(Outcome.ABSENT, 0);
        static final Result NOT_KEPT = new Result(Outcome.NOT_KEPT, 0);
    }

    private final Remote remote;
    private final LocalStore local;
    private final Optional<Duration> deadline;
    private final ImportBudget budget;

    /**
     * @param deadline how long a fetch may wait for the remote's answer or go without a byte of it
     *     (retries included), with a floor on its pace and a cap of {@value TransferPace#CAP_IN_DEADLINES}
     *     deadlines in all, counted in time spent waiting on the remote, never in the importer's own
     *     work between reads ({@link TransferPace}); how long a send may take in all. When it is given
     *     up, {@link DeadlineExceededException} says why and the transfer is left to finish or fail on
     *     a daemon thread, unseen. A fetch that this machine's own work keeps from ending within
     *     {@value TransferPace#WALL_CAP_IN_DEADLINES} deadlines is given up the same way, as a
     *     {@link LocalImportException}. Empty: no deadline beyond the remote client's own timeouts.
     * @param budget what the fetches of this transfer may keep in the local store, shared by them:
     *     a run that brings many entries stops at its store's cap ({@link ImportBudget})
     */
    public EntryTransfer(Remote remote, LocalStore local, Optional<Duration> deadline, ImportBudget budget) {
        this.remote = Objects.requireNonNull(remote, "remote");
        this.local = Objects.requireNonNull(local, "local");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** A transfer whose fetches keep whatever they bring: a call's read-through brings its one entry. */
    public EntryTransfer(Remote remote, LocalStore local, Optional<Duration> deadline) {
        this(remote, local, deadline, ImportBudget.UNLIMITED);
    }

    /** A transfer with an open remote and no deadline of its own: {@code kache sync} and the write-back. */
    public EntryTransfer(ArtifactStore remote, LocalStore local) {
        this(() -> Optional.of(remote), local, Optional.empty());
    }

    /**
     * Brings {@code key} from the remote into the local store, unless it is there already.
     *
     * @return {@link Outcome#NOT_KEPT} once the budget is spent: by this entry (downloaded, verified
     *     and dropped) or by an earlier one (then nothing is asked of the remote)
     * @throws CorruptedEntryException if the object is not a valid pack of {@code key} (nothing kept)
     * @throws DeadlineExceededException if the deadline passed
     * @throws StoreException the remote's failures after {@code attempts} gave up
     * @throws LocalImportException if the remote delivered and the local store could not take the
     *     entry (a full disk), or its own work kept the fetch from ending within
     *     {@value TransferPace#WALL_CAP_IN_DEADLINES} deadlines (the store's lock held all along): the
     *     local store's failure, never retried
     * @throws IOException another local failure, never retried
     */
    public Result fetch(ArtifactKey key, Attempts attempts) throws IOException {
        Optional<TransferPace> pace = deadline.map(d -> new TransferPace(key, d, System.nanoTime()));
        return withinDeadline(pace, () -> local(() -> attempts.run(() -> unchecked(() -> fetchOnce(key, pace)))));
    }

    private Result fetchOnce(ArtifactKey key, Optional<TransferPace> pace) throws IOException {
        if (presentHere(key, pace)) {
            return Result.PRESENT;
        }
        if (budget.reached()) {
            return Result.NOT_KEPT;
        }
        Optional<ArtifactStore> store = remote.open();
        if (store.isEmpty()) {
            return Result.ABSENT;
        }
        long[] received = new long[1];
        LocalImportException[] notTaken = new LocalImportException[1];
        boolean[] kept = new boolean[1];
        boolean found;
        try {
            found = store.get().load(key, (in, size) -> {
                refuseOversized(key, size);
                try (Counting counting = new Counting(in, received, pace)) {
                    kept[0] = importInto(key, counting, notTaken);
                }
            });
        } catch (StoreException e) {
            // Told by what the import recorded, not by what the remote threw: a backend wraps a
            // reader's I/O failure as its own read failure.
            if (notTaken[0] != null) {
                throw notTaken[0];
            }
            throw e;
        }
        if (!found) {
            return Result.ABSENT;
        }
        return new Result(kept[0] ? Outcome.MOVED : Outcome.NOT_KEPT, received[0]);
    }

    /** Whether the entry is here already: this machine's time, not the remote's. */
    private boolean presentHere(ArtifactKey key, Optional<TransferPace> pace) throws IOException {
        pace.ifPresent(p -> p.localWorkBegins(System.nanoTime()));
        try {
            return local.contains(key);
        } finally {
            pace.ifPresent(p -> p.localWorkEnds(System.nanoTime()));
        }
    }

    /**
     * Imports the remote's bytes. A failure that is not the remote stream's own (nor the pack's:
     * those are store errors) is the local store's, a full disk say: recorded in {@code notTaken}
     * and thrown as a store error the remote passes through unwrapped ({@link ArtifactStore#load}),
     * so that no layer between (an outage count, a retry) takes it for the remote failing.
     */
    private boolean importInto(ArtifactKey key, Counting counting, LocalImportException[] notTaken)
            throws IOException {
        try {
            return local.importPack(key, counting, PackLimits.defaults(), budget);
        } catch (StoreException | InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            if (counting.threw(e)) {
                throw e;
            }
            notTaken[0] = new LocalImportException(key, e);
            throw new NotTaken(notTaken[0]);
        }
    }

    /** An object larger than any pack is refused before a byte of it is downloaded. */
    private static void refuseOversized(ArtifactKey key, long size) throws CorruptedEntryException {
        long max = PackLimits.defaults().maxPackBytes();
        if (size > max) {
            throw new CorruptedEntryException("remote object for entry " + key + " has " + size
                    + " bytes, more than any pack (" + max + ")");
        }
    }

    /**
     * Sends the local entry of {@code key} to the remote: exported once to {@code staging}, then
     * stored under {@code attempts}. An entry that cannot be exported (a blob gone or damaged
     * meanwhile: the store dropped it) is {@link Outcome#ABSENT}. Does not ask whether the remote has
     * it: that is the caller's plan.
     *
     * @param staging a fresh path for the exported pack (a temp file of the caller's); deleted afterwards
     * @throws DeadlineExceededException if the deadline passed
     * @throws StoreException the remote's failures after {@code attempts} gave up
     * @throws IOException a local failure (the staged pack cannot be written), never retried
     */
    public Result send(ArtifactKey key, int compressionLevel, Path staging, Attempts attempts) throws IOException {
        return withinDeadline(deadline.map(d -> new TransferPace(key, d, System.nanoTime())), () -> {
            try {
                if (!export(key, compressionLevel, staging)) {
                    return Result.ABSENT;
                }
                Optional<ArtifactStore> store = remote.open();
                if (store.isEmpty()) {
                    return Result.ABSENT;
                }
                ArtifactSource source = ArtifactSource.ofFile(staging);
                attempts.run(() -> {
                    store.get().store(key, source);
                    return null;
                });
                return new Result(Outcome.MOVED, source.size());
            } finally {
                Files.deleteIfExists(staging);
            }
        });
    }

    private boolean export(ArtifactKey key, int compressionLevel, Path staging) throws IOException {
        try (OutputStream out = Files.newOutputStream(staging)) {
            return local.exportPack(key, out, compressionLevel);
        } catch (CorruptedEntryException e) {
            // A blob gone mid-export: evicted by a concurrent gc, or damaged. The store dropped the entry.
            // The exception names the entry and says what happened to it (dropped, bytes quarantined).
            LoggerFactory.getLogger(EntryTransfer.class).warn("{}", e.getMessage());
            return false;
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }

    /**
     * Runs {@code work} on a thread of its own while {@code pace} lets it go on: a send counts no
     * bytes and reads no remote stream, so for it the deadline bounds the whole.
     */
    private <T> T withinDeadline(Optional<TransferPace> pace, IoCall<T> work) throws IOException {
        if (pace.isEmpty()) {
            return work.call();
        }
        FutureTask<T> task = new FutureTask<>(work::call);
        Thread t = new Thread(task, "kache-transfer");
        t.setDaemon(true);
        t.start();
        try {
            while (true) {
                Optional<IOException> over = pace.get().verdict(System.nanoTime());
                if (over.isPresent() && !task.isDone()) {
                    throw over.get();
                }
                try {
                    return task.get(pace.get().pollNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // Not done yet: judge its pace again.
                }
            }
        } catch (InterruptedException e) {
            // Whoever waited is shutting down (the server's prefetch closing): the transfer stops too,
            // where it can, rather than go on writing into a store that is being closed.
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the remote");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /** A local I/O failure that is not a store error is final, not retryable: it passes {@link Attempts} unchanged. */
    private static <T> T unchecked(IoCall<T> call) throws StoreException {
        try {
            return call.call();
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new LocalFailure(e);
        }
    }

    private static <T> T local(IoCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (LocalFailure e) {
            throw e.getCause();
        }
    }

    /** Carries a local I/O failure through {@link Attempts} without being retried. */
    private static final class LocalFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LocalFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * A local failure on its way through the remote's {@code load}: a store error so the remote
     * passes it through, not retryable, and never seen outside {@link #fetchOnce}.
     */
    private static final class NotTaken extends StoreException {
        private static final long serialVersionUID = 1L;

        NotTaken(LocalImportException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /**
     * Counts the remote's bytes, tells the pace when the importer waits on the remote (inside a read)
     * and when it works on its own (between reads), and remembers the remote stream's own failure, to
     * tell it from the import's.
     */
    private static final class Counting extends FilterInputStream {
        private final long[] count;
        private final Optional<TransferPace> pace;
        // Read on the unpacking thread; asked on the import's.
        private volatile IOException failure;

        Counting(InputStream in, long[] count, Optional<TransferPace> pace) {
            super(in);
            this.count = count;
            this.pace = pace;
            // The remote has answered: until the importer first reads, it is busy on this machine
            // (waiting for the store's lock, say).
            pace.ifPresent(p -> p.localWorkBegins(System.nanoTime()));
        }

        @Override
        public int read() throws IOException {
            waitsOnRemote();
            int b = -1;
            try {
                b = super.read();
                return b;
            } catch (IOException e) {
                failed(e);
                throw e;
            } finally {
                got(b >= 0 ? 1 : 0);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            waitsOnRemote();
            int n = 0;
            try {
                n = super.read(b, off, len);
                return n;
            } catch (IOException e) {
                failed(e);
                throw e;
            } finally {
                got(n);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            waitsOnRemote();
            long skipped = 0;
            try {
                skipped = super.skip(n);
                return skipped;
            } catch (IOException e) {
                failed(e);
                throw e;
            } finally {
                got(skipped);
            }
        }

        private void waitsOnRemote() {
            pace.ifPresent(p -> p.localWorkEnds(System.nanoTime()));
        }

        /** A call on the remote's stream returned with {@code n} bytes: until the next, the importer works on its own. */
        private void got(long n) {
            if (n > 0) {
                count[0] += n;
            }
            if (pace.isPresent()) {
                long now = System.nanoTime();
                pace.get().received(n, now);
                pace.get().localWorkBegins(now);
            }
        }

        private void failed(IOException e) {
            if (failure == null) {
                failure = e;
            }
        }

        /**
         * Whether {@code e} is, or was caused by, the remote stream's failure. By identity: the pack
         * reader hands the source's failure on unchanged, and the stream's later failures (the
         * unpacking thread stopped after a local failure) are other exceptions.
         */
        boolean threw(Throwable e) {
            IOException own = failure;
            for (Throwable t = e; own != null && t != null; t = t.getCause()) {
                if (t == own) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            // The remote owns and closes the stream; what it does next (closing, retrying) is its time.
            waitsOnRemote();
        }
    }
}
