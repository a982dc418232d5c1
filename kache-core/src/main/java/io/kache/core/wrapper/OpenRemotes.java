package io.kache.core.wrapper;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.api.StoreProviders;
import io.kache.core.remote.RemoteStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The remotes opened for the calls of one owner, keyed by their complete settings (credentials
 * included), each opened on first use and closed by {@link #close}. The owner is the kache server,
 * for its lifetime, or one wrapper call in its own JVM: the server reads through for many calls, and
 * building an S3 client per call would cost more than the lookup. Stores are thread-safe by the
 * SPI's contract.
 *
 * <p>The server's remotes ({@link #forServer}) open ahead of the calls, outside any call's
 * {@code remote_deadline}: opening one loads the client's classes and resolves its credentials
 * (which may run a process or ask the network), seconds on a loaded machine, and a read-through that
 * paid for it inside its deadline marked the remote unavailable for minutes. A call asks whether
 * the remote is {@link #readiness ready}: while it is still opening, the call is a plain miss and
 * nothing is marked; an opening that fails, or takes longer than {@link #OPEN_BOUND}, is a failure.
 * The server's remotes also own its {@link BuildPrefetcher}, closed with them.
 */
public final class OpenRemotes implements AutoCloseable {

    /** How long opening a remote may take before it counts as failed (credential resolution that hangs). */
    static final Duration OPEN_BOUND = Duration.ofSeconds(30);

    /** Whether a call may use its remote now. */
    enum State {
        /** Open (or opened within the call's deadline, as in the JVM wrapper): read through. */
        READY,
        /** Still opening in the background: a plain miss, nothing is marked. */
        OPENING,
        /** The opening failed or hung past {@link #OPEN_BOUND}: a failure, said once. */
        FAILED
    }

    /** A remote's readiness for a call, and why it failed, if it did. */
    record Readiness(State state, String why) {
        static final Readiness READY = new Readiness(State.READY, "");
        static final Readiness OPENING = new Readiness(State.OPENING, "");
    }

    /** A remote being opened in the background, and since when. */
    private record Opening(CompletableFuture<Optional<ArtifactStore>> result, long startedNanos) {
    }

    /** Opens the remote of resolved settings: the providers on the class path, or a test's. */
    @FunctionalInterface
    interface Opener {
        Optional<ArtifactStore> open(RemoteSettings settings) throws StoreException;
    }

    /** Opens a remote through the store providers on kache's class path. */
    static final Opener PROVIDERS = settings -> RemoteStores.open(Optional.of(settings),
            StoreProviders.discover(OpenRemotes.class.getClassLoader()));

    private final Map<RemoteSettings, ArtifactStore> open = new ConcurrentHashMap<>();
    private final Map<RemoteSettings, Opening> opening = new ConcurrentHashMap<>();
    private final Opener opener;
    private final boolean ahead;
    private final InFlightFetches inFlight = new InFlightFetches();
    private final Optional<BuildPrefetcher> prefetcher;
    private volatile boolean closed;

    /** Remotes opened through the store providers on kache's class path, by the call that needs them. */
    public OpenRemotes() {
        this(PROVIDERS);
    }

    OpenRemotes(Opener opener) {
        this(opener, false);
    }

    /**
     * @param ahead open in the background, outside the calls' deadlines, and prefetch builds: the
     *     server's remotes
     */
    OpenRemotes(Opener opener, boolean ahead) {
        this.opener = opener;
        this.ahead = ahead;
        this.prefetcher = ahead ? Optional.of(new BuildPrefetcher(inFlight)) : Optional.empty();
    }

    /** The kache server's remotes: opened ahead of the calls, with a prefetcher for its builds. */
    public static OpenRemotes forServer() {
        return new OpenRemotes(PROVIDERS, true);
    }

    /** The entries being fetched for these remotes' calls. */
    InFlightFetches inFlight() {
        return inFlight;
    }

    /** The server's prefetcher; empty for the JVM wrapper's one call. */
    Optional<BuildPrefetcher> prefetcher() {
        return prefetcher;
    }

    /**
     * Whether a call may read through {@code settings}' remote now, waiting at most {@code wait} for
     * it to open (outside the call's fetch deadline). Starts opening it if nobody has. Without
     * opening ahead, always ready: the call opens it within its deadline.
     */
    Readiness readiness(Optional<RemoteSettings> settings, Duration wait) {
        if (!ahead || settings.isEmpty() || closed || open.containsKey(settings.get())) {
            return Readiness.READY;
        }
        Opening o = startOpening(settings.get());
        try {
            o.result().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return Readiness.READY;
        } catch (TimeoutException e) {
            if (System.nanoTime() - o.startedNanos() < OPEN_BOUND.toNanos()) {
                return Readiness.OPENING;
            }
            // Said once: the next call after the quiet period starts a fresh opening.
            opening.remove(settings.get(), o);
            return new Readiness(State.FAILED, "the remote could not be opened within " + OPEN_BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Readiness.OPENING;
        } catch (ExecutionException e) {
            opening.remove(settings.get(), o);
            return new Readiness(State.FAILED, "the remote could not be opened: " + e.getCause().getMessage());
        }
    }

    /** Whether these remotes open ahead of their calls (the server's). */
    boolean opensAhead() {
        return ahead;
    }

    /** Starts opening {@code settings}' remote in the background, unless it is open or opening. */
    void openAhead(Optional<RemoteSettings> settings) {
        if (ahead && settings.isPresent() && !closed && !open.containsKey(settings.get())) {
            startOpening(settings.get());
        }
    }

    /**
     * Starts opening, in the background, the remote that the configuration of {@code env} and
     * {@code cwd} names: those the server was started with, its first call's ({@link ServerStart}).
     * Nothing happens without a remote, and a broken configuration is left for the calls to report.
     */
    public void openAheadFor(Map<String, String> env, Path cwd) {
        if (!ahead || env.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> ServerStart.prepare(this, env, cwd), "kache-remote-open");
        t.setDaemon(true);
        t.start();
    }

    private Opening startOpening(RemoteSettings settings) {
        Opening fresh = new Opening(new CompletableFuture<>(), System.nanoTime());
        Opening known = opening.putIfAbsent(settings, fresh);
        if (known != null) {
            return known;
        }
        Thread t = new Thread(() -> {
            try {
                fresh.result().complete(openNow(settings));
            } catch (StoreException | RuntimeException e) {
                fresh.result().completeExceptionally(e);
            }
        }, "kache-remote-open");
        t.setDaemon(true);
        t.start();
        return fresh;
    }

    /**
     * The store for {@code settings}, opened on first use; empty when no remote applies, or once
     * the owner has closed its remotes (a call still running then compiles, as on a miss).
     */
    Optional<ArtifactStore> get(Optional<RemoteSettings> settings) throws StoreException {
        if (settings.isEmpty() || closed) {
            return Optional.empty();
        }
        ArtifactStore known = open.get(settings.get());
        if (known != null) {
            return Optional.of(known);
        }
        if (!ahead) {
            return openNow(settings.get());
        }
        // Opened ahead: waited for (the prefetcher, off any call's path), within the opening's bound.
        Opening o = startOpening(settings.get());
        try {
            return o.result().get(OPEN_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new io.kache.api.StoreUnavailableException("the remote could not be opened within " + OPEN_BOUND, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            opening.remove(settings.get(), o);
            if (e.getCause() instanceof StoreException s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Optional<ArtifactStore> openNow(RemoteSettings settings) throws StoreException {
        ArtifactStore known = open.get(settings);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ArtifactStore> opened = opener.open(settings);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        ArtifactStore raced = open.putIfAbsent(settings, opened.get());
        if (raced != null) {
            opened.get().close();
            return Optional.of(raced);
        }
        if (closed) {
            // Opened while the owner closed the others: closed here, as nobody else would.
            close();
            return Optional.empty();
        }
        return opened;
    }

    /** Closes every remote opened here; a failure to close one does not keep the others open. */
    @Override
    public void close() {
        closed = true;
        // The prefetch stops first: its transfers use the remotes closed below.
        prefetcher.ifPresent(BuildPrefetcher::close);
        for (RemoteSettings settings : open.keySet()) {
            // Removed one by one: a store is closed once, whoever (this or a racing get) removes it.
            ArtifactStore store = open.remove(settings);
            if (store == null) {
                continue;
            }
            try {
                store.close();
            } catch (RuntimeException e) {
                WrapperLog.debug("closing a remote failed: " + e);
            }
        }
    }
}
