package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The remote of one operation (a {@code kache sync}), given up once it is judged unavailable:
 * after {@value #FAILURES_IN_A_ROW} requests in a row failed as unavailable, each after its own
 * retries, with no answer between them. Every later call fails at once with that verdict, so the
 * remaining listings and transfers are each reported as not tried instead of each waiting out
 * {@code timeout}: against a remote that accepts connections and never answers, a sync ends within
 * a few timeouts, not one per crate and entry. Any other outcome — success, a miss, access denied,
 * a damaged object — is an answer and starts the count again.
 */
public final class OutageGuard implements ArtifactStore {

    /** Requests in a row that failed as unavailable before the remote is given up. */
    public static final int FAILURES_IN_A_ROW = 3;

    private final ArtifactStore remote;
    private int failuresInARow;
    private String verdict;

    public OutageGuard(ArtifactStore remote) {
        this.remote = Objects.requireNonNull(remote, "remote");
    }

    /** Why the remote was given up, once it was. */
    public synchronized Optional<String> verdict() {
        return Optional.ofNullable(verdict);
    }

    @Override
    public boolean load(ArtifactKey key, EntryReader reader) throws StoreException {
        return call(() -> remote.load(key, reader));
    }

    @Override
    public void store(ArtifactKey key, ArtifactSource source) throws StoreException {
        call(() -> {
            remote.store(key, source);
            return null;
        });
    }

    @Override
    public Optional<byte[]> readRecord(String slot, int maxBytes) throws StoreException {
        return call(() -> remote.readRecord(slot, maxBytes));
    }

    @Override
    public void writeRecord(String slot, byte[] record) throws StoreException {
        call(() -> {
            remote.writeRecord(slot, record);
            return null;
        });
    }

    @Override
    public boolean contains(ArtifactKey key) throws StoreException {
        return call(() -> remote.contains(key));
    }

    @Override
    public Stream<ArtifactKey> list(String crateName) throws StoreException {
        return guarded(call(() -> remote.list(crateName), false));
    }

    @Override
    public Stream<ArtifactKey> listAll() throws StoreException {
        return guarded(call(remote::listAll, false));
    }

    @Override
    public void close() {
        remote.close();
    }

    @Override
    public String toString() {
        return remote.toString();
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws StoreException;
    }

    private <T> T call(Call<T> call) throws StoreException {
        return call(call, true);
    }

    /** @param returnIsAnAnswer false for a listing, which may return before any request was made */
    private <T> T call(Call<T> call, boolean returnIsAnAnswer) throws StoreException {
        String given = verdict().orElse(null);
        if (given != null) {
            throw new StoreUnavailableException("not tried: " + given);
        }
        try {
            T result = call.run();
            if (returnIsAnAnswer) {
                answered();
            }
            return result;
        } catch (StoreException e) {
            failed(e);
            throw e;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof StoreException s) {
                failed(s);
            }
            throw e;
        }
    }

    private synchronized void answered() {
        failuresInARow = 0;
    }

    private synchronized void failed(StoreException e) {
        if (!(e instanceof StoreUnavailableException)) {
            failuresInARow = 0;
            return;
        }
        if (++failuresInARow >= FAILURES_IN_A_ROW && verdict == null) {
            verdict = "the remote " + remote + " was given up after " + failuresInARow
                    + " requests in a row failed (the last: " + e.getMessage() + ")";
        }
    }

    /**
     * A listing may fetch its pages lazily, as it is consumed: a page that fails counts as a failed
     * request, one that arrives as an answer.
     */
    private Stream<ArtifactKey> guarded(Stream<ArtifactKey> listing) {
        Spliterator<ArtifactKey> pages = listing.spliterator();
        Spliterator<ArtifactKey> watched = new Spliterator<>() {
            @Override
            public boolean tryAdvance(Consumer<? super ArtifactKey> action) {
                try {
                    boolean more = pages.tryAdvance(action);
                    answered();
                    return more;
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof StoreException s) {
                        failed(s);
                    }
                    throw e;
                }
            }

            @Override
            public Spliterator<ArtifactKey> trySplit() {
                return null;
            }

            @Override
            public long estimateSize() {
                return pages.estimateSize();
            }

            @Override
            public int characteristics() {
                return pages.characteristics() & ~(Spliterator.SIZED | Spliterator.SUBSIZED);
            }
        };
        return StreamSupport.stream(watched, false).onClose(listing::close);
    }
}
