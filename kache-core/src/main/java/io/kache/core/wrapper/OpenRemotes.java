package io.kache.core.wrapper;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.api.StoreProviders;
import io.kache.core.config.ConfigLoader;
import io.kache.core.remote.RemoteStores;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.records.BuildIdentity;
import io.kache.core.sync.records.BuildRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpenRemotes.class);

    /** How long opening a remote may take before it counts as failed (credential resolution that hangs). */
    static final Duration OPEN_BOUND = Duration.ofSeconds(30);
    /** A record slot no build has (slots are digests: all zeros is none in practice): what the warm-up asks for. */
    static final String WARM_UP_SLOT = "0".repeat(32);
    private static final BuildIdentity WARM_UP_ID = new BuildIdentity("-", "host", "debug", "none", "none", "-");

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
     * {@code cwd} names: those the server was started with, its first call's. The server's JVM is
     * up well before cargo's first compile call, so the remote is open by the build's first miss
     * rather than opening from the first served call on. Nothing happens without a remote, and a
     * broken configuration is left for the calls to report.
     *
     * <p>When the local store holds no entry (a fresh CI runner's), every call of the build
     * will miss and the first one will read the build's record: the remote is then also asked once
     * for a record that does not exist ({@link #WARM_UP_SLOT}), so that the connection, the
     * request's signing and the client's first-request set-up are done before the build needs them.
     * Its answer, or failure, is only logged.
     */
    public void openAheadFor(Map<String, String> env, Path cwd) {
        if (!ahead || env.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                WrapperSettings settings = WrapperSettings.of(ConfigLoader.load(env, cwd));
                if (settings.disabled()) {
                    return;
                }
                Optional<RemoteSettings> remote = RemoteStores.withCredentials(settings.remote(), env);
                if (remote.isEmpty()) {
                    return;
                }
                // Asked before the first calls open (and so create) the store.
                boolean fresh = fresh(settings.storeRoot(), settings.maxSize());
                if (fresh) {
                    // Every call of the build will miss: its workspace is read now, while cargo starts.
                    prefetcher.ifPresent(p -> p.readStartWorkspace(env, cwd));
                }
                long start = System.nanoTime();
                openAhead(remote);
                Optional<ArtifactStore> store = get(remote);
                long opened = System.nanoTime();
                // Not once a build's prefetch started: its record read is the first request then, and
                // two first requests at once only slow each other.
                boolean warmUp = store.isPresent() && fresh && prefetcher.map(p -> !p.anyStarted()).orElse(false);
                if (warmUp) {
                    warmUp(store.get());
                }
                // Shown on the server's stderr (kache __server by hand) and by bench/prefetch.sh.
                LOG.info("kache: the server's remote opened in {} ms{}, ready {} ms after the server's start",
                        TimeUnit.NANOSECONDS.toMillis(opened - start), warmUp ? " and warmed up in "
                                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened) + " ms" : "",
                        BuildPrefetcher.sinceServerStart(System.nanoTime()));
            } catch (StoreException | RuntimeException e) {
                WrapperLog.debug("the server's remote is opened by its calls: " + e.getMessage());
            }
        }, "kache-remote-open");
        t.setDaemon(true);
        t.start();
    }

    private static void warmUp(ArtifactStore store) {
        try {
            store.readRecord(WARM_UP_SLOT, BuildRecord.MAX_BYTES);
            // The record's reader too, which the first miss uses next.
            BuildRecord.decode(new BuildRecord(0, "warm-up", WARM_UP_ID, Set.of()).encode());
        } catch (StoreException | BuildRecord.InvalidRecordException | RuntimeException e) {
            WrapperLog.debug("warming the remote up failed: " + e);
        }
    }

    /** Whether the local store at {@code root} holds no entry: a fresh runner's. */
    static boolean fresh(Path root, long maxSize) {
        try (LocalStore store = LocalStore.open(root, maxSize)) {
            return store.holdsNoEntry();
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
