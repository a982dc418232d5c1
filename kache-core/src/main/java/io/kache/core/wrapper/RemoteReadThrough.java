package io.kache.core.wrapper;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.core.Invocation;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.InputScanner;
import io.kache.core.key.KeyContext;
import io.kache.core.remote.RemoteStores;
import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.LocalStore;
import io.kache.core.store.RemoteHealth;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * On a local miss, looks for the entry in the remote under a hard deadline: a hit is verified,
 * imported (the store indexes it), so the caller restores it like a local hit. A miss, an error or the
 * deadline means "compile"; a failure also silences the remote for the rest of the build.
 */
final class RemoteReadThrough {

    private final RustcCall call;
    private final Invocation inv;
    private final WrapperSettings settings;
    private final LocalStore store;
    private final CallKeyIndex manifests;

    RemoteReadThrough(RustcCall call, Invocation inv, WrapperSettings settings, LocalStore store,
                      CallKeyIndex manifests) {
        this.call = call;
        this.inv = inv;
        this.settings = settings;
        this.store = store;
        this.manifests = manifests;
    }

    /** Whether the entry for this call was fetched into the local store. */
    boolean fetch(String callKey, KeyContext ctx) {
        if (settings.remote().isEmpty()) {
            return false;
        }
        RemoteHealth health = store.remoteHealth();
        if (health.recentlyFailed()) {
            return false;
        }
        try {
            Optional<String> entryKey = entryKey(callKey, ctx);
            if (entryKey.isEmpty()) {
                return false;
            }
            ArtifactKey key = new ArtifactKey(call.crateName(), entryKey.get());
            FutureTask<Boolean> task = new FutureTask<>(() -> load(key));
            Thread t = new Thread(task, "kache-read-through");
            t.setDaemon(true);
            t.start();
            return task.get(settings.remoteDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            health.markFailed("no answer within " + settings.remoteDeadline());
            WrapperLog.warn("the remote did not answer within " + settings.remoteDeadline()
                    + "; compiling, and not asking it again for " + RemoteHealth.QUIET_PERIOD.toMinutes() + " minutes");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            health.markFailed(String.valueOf(cause));
            WrapperLog.warn("remote read failed (" + cause.getMessage() + "); compiling");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            WrapperLog.warn("remote read-through skipped: " + e.getMessage());
        }
        return false;
    }

    /**
     * The entry key: from a remembered input set when one still matches (its entry was evicted
     * locally), else from a dep-info pre-pass of rustc.
     */
    private Optional<String> entryKey(String callKey, KeyContext ctx) throws Exception {
        Optional<String> remembered = manifests.match(callKey, ctx);
        if (remembered.isPresent()) {
            return remembered;
        }
        Optional<DepInfo> dep = DepInfoPrepass.run(call, inv, store.newTemp("prepass"));
        if (dep.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CacheKeyRecipe.entryKey(callKey, InputScanner.scan(dep.get(), ctx)));
    }

    private boolean load(ArtifactKey key) throws Exception {
        Optional<ArtifactStore> remote = OpenRemotes.get(RemoteStores.withCredentials(settings.remote(), inv.env()));
        return remote.isPresent() && remote.get().load(key, (in, size) -> store.importPack(key, in));
    }
}
