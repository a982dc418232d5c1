package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.api.EntryRejectedException;
import io.kache.api.StoreException;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.InputScanner;
import io.kache.core.key.KeyContext;
import io.kache.core.remote.Attempts;
import io.kache.core.remote.DeadlineExceededException;
import io.kache.core.remote.EntryTransfer;
import io.kache.core.remote.LocalImportException;
import io.kache.core.remote.RetryPolicy;
import io.kache.core.rustc.DepInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.store.RemoteHealth;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * On a local miss, looks for the entry in the remote under a hard deadline: a hit is verified,
 * imported (the store indexes it), so the caller restores it like a local hit. A miss, an error or the
 * deadline means "compile"; a failure of the remote also silences it for the rest of the build, one of
 * the local store (it could not take the entry) does not, nor does one bad object (a corrupt,
 * truncated or foreign pack) or one the remote refuses alone ({@link EntryRejectedException}): that
 * is a miss of its entry, not a sign that the remote is down.
 */
final class RemoteReadThrough {

    private final WrappedCall call;
    private final WrapperSettings settings;
    private final LocalStore store;

    RemoteReadThrough(WrappedCall call) {
        this.call = call;
        this.settings = call.settings();
        this.store = call.store();
    }

    /** Whether the entry for this call was fetched into the local store. */
    boolean fetch(String callKey, KeyContext ctx) {
        if (settings.remote().isEmpty()) {
            return false;
        }
        RemoteHealth health = store.remoteHealth(settings.remoteDestination().orElseThrow());
        Optional<RemoteHealth.Outage> outage = health.unavailableUntil();
        if (outage.isPresent()) {
            // Said once per build: a build that leaves the remote alone must not look like one that asked it.
            call.notice(UserNotices.Topic.REMOTE, skipped(outage.get()));
            return false;
        }
        // Opening the remote is not this call's to wait for within its deadline (the server opens it ahead).
        OpenRemotes.Readiness ready = call.remoteReadiness();
        if (ready.state() == OpenRemotes.State.OPENING) {
            WrapperLog.debug("the remote is still opening: " + call.rustc().crateName() + " misses");
            return false;
        }
        if (ready.state() == OpenRemotes.State.FAILED) {
            health.markFailed(ready.why());
            call.notice(UserNotices.Topic.REMOTE, ready.why() + "; compiling, and " + quietPeriod());
            return false;
        }
        Optional<String> entryKey;
        try {
            entryKey = entryKey(callKey, ctx);
        } catch (Exception e) {
            call.notice(UserNotices.Topic.REMOTE, "remote read-through skipped: " + e.getMessage());
            return false;
        }
        if (entryKey.isEmpty()) {
            return false;
        }
        ArtifactKey key = new ArtifactKey(call.rustc().crateName(), entryKey.get());
        // One GET per entry: a fetch in flight (the server's prefetch, another call) is waited for.
        InFlightFetches.Claim claim = call.remotes().inFlight().claim(key);
        if (!claim.mine()) {
            return awaitOther(claim);
        }
        boolean fetched = false;
        try {
            EntryTransfer transfer = new EntryTransfer(call::remote, store, Optional.of(settings.remoteDeadline()));
            fetched = transfer.fetch(key, new Attempts(RetryPolicy.DEFAULT,
                    Attempts.Observer.NONE)).outcome() != EntryTransfer.Outcome.ABSENT;
            return fetched;
        } catch (DeadlineExceededException e) {
            // Says which: no answer, a stall, or a pace too slow (a transfer that makes progress is
            // not cut at remote_deadline).
            health.markFailed(e.getMessage());
            call.notice(UserNotices.Topic.REMOTE, "the remote read of " + call.rustc().crateName() + " was given up ("
                    + e.getMessage() + "); compiling, and " + quietPeriod());
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
        } catch (LocalImportException e) {
            // The remote answered; this machine's store could not keep the entry (a full disk). Not
            // the remote's failure: the remote stays on, and the store's trouble is named.
            call.notice(UserNotices.Topic.STORE, "an entry found in the remote was not kept ("
                    + e.getMessage() + "); compiling");
        } catch (CorruptedEntryException e) {
            // The remote answered, with an object that is not this entry's pack (truncated, another
            // key's, hostile): that entry's problem, not the remote's health. Nothing of it was kept;
            // this call compiles, and every other entry is still asked for.
            call.notice(UserNotices.Topic.CORRUPTION, call.rustc().crateName() + ": the remote's object for it is"
                    + " unusable (" + e.getMessage() + "); compiling it, and the remote stays in use");
        } catch (EntryRejectedException e) {
            // The remote answered, refusing this one object (a name it does not take, KeyTooLongError):
            // its entry's miss, as a bad object is, and said under that topic so that an outage later in
            // the build still gets its own notice. Every other entry is still asked for.
            call.notice(UserNotices.Topic.CORRUPTION, call.rustc().crateName() + ": the remote refused its object ("
                    + e.getMessage() + "); compiling it, and the remote stays in use");
        } catch (StoreException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            health.markFailed(why);
            call.notice(UserNotices.Topic.REMOTE, "remote read failed (" + why + "); compiling, and " + quietPeriod());
        } catch (IOException e) {
            call.notice(UserNotices.Topic.STORE, "remote read-through: the local store failed ("
                    + e.getMessage() + "); compiling");
        } finally {
            call.remotes().inFlight().settle(claim, fetched);
        }
        return false;
    }

    /** What follows a failure in its notice: how long builds leave the remote alone, and what to check. */
    private String quietPeriod() {
        return "not asking it again for " + RemoteHealth.QUIET_PERIOD.toMinutes() + " minutes; " + whatToCheck();
    }

    /** The notice of a call that leaves the remote alone after an earlier failure: since when, why, until when. */
    private String skipped(RemoteHealth.Outage outage) {
        return "the remote is not asked: it failed at " + clock(outage.since())
                + (outage.why().isEmpty() ? "" : " (" + outage.why() + ")") + ", and builds leave it alone until "
                + clock(outage.until()) + "; compiling what the local store lacks; " + whatToCheck();
    }

    private String whatToCheck() {
        String where = switch (settings.remote().map(r -> r.type()).orElse("")) {
            case "s3" -> "check endpoint and bucket in [cache.remote] (or KACHE_S3_ENDPOINT, KACHE_S3_BUCKET)";
            case "filesystem" -> "check that path in [cache.remote] is there and readable";
            default -> "check [cache.remote]";
        };
        return where + ", or run kache doctor";
    }

    private static String clock(java.time.Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                .format(t.atZone(java.time.ZoneId.systemDefault()));
    }

    /** Waits, within {@code remote_deadline}, for another fetch of the entry; a slow one is a miss, not a failure. */
    private boolean awaitOther(InFlightFetches.Claim claim) {
        try {
            return claim.done().get(settings.remoteDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            WrapperLog.debug(claim.key() + " still in flight after " + settings.remoteDeadline() + "; compiling");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            WrapperLog.debug("waiting for " + claim.key() + " failed: " + e.getCause());
        }
        return false;
    }

    /**
     * The entry key: from a remembered input set when one still matches (its entry was evicted
     * locally), else from a dep-info pre-pass of rustc.
     */
    private Optional<String> entryKey(String callKey, KeyContext ctx) throws Exception {
        Optional<String> remembered = store.callKeyIndex().match(callKey, ctx);
        if (remembered.isPresent()) {
            return remembered;
        }
        Optional<DepInfo> dep = DepInfoPrepass.run(call.rustc(), call.inv(), store.newTemp("prepass"));
        if (dep.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CacheKeyRecipe.entryKey(callKey, InputScanner.scan(dep.get(), ctx)));
    }
}
