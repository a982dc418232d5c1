package io.kache.cli;

import io.kache.api.ArtifactKey;
import io.kache.core.config.ByteSize;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.config.KacheConfig;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.PendingUploads;
import io.kache.core.store.RemoteHealth;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the builds left for the remote, as {@code kache stats} and {@code doctor} show it: entries
 * queued for upload (count, bytes, since when) and whether builds currently leave the remote alone
 * after a failure, until when and why.
 *
 * @param pending queued entries
 * @param pendingBytes their files' total size
 * @param oldest when the oldest was queued
 * @param outage the remote's current outage, if builds are leaving it alone
 * @param remoteConfigured whether the configuration names a remote
 * @param forOtherRemotes queued entries waiting only for remotes other than the configured one (all
 *     of them when none is): their markers name where they go, and {@code kache sync --push} sends
 *     only the configured remote's
 * @param refusal the configured remote's refusal of an upload, until one goes through
 */
record RemoteBacklog(int pending, long pendingBytes, Optional<Instant> oldest, Optional<RemoteHealth.Outage> outage,
                     boolean remoteConfigured, int forOtherRemotes, Optional<RemoteHealth.Refusal> refusal) {

    /** The store's queue, and the outage of {@code config}'s remote (a store may serve several remotes). */
    static RemoteBacklog of(LocalStore store, KacheConfig config) throws IOException {
        PendingUploads queue = store.pendingUploads();
        PendingUploads.Summary summary = queue.summary();
        long bytes = 0;
        if (summary.count() > 0) {
            Set<ArtifactKey> queued = new HashSet<>(queue.list());
            for (EntryInfo e : store.list(Optional.empty())) {
                if (queued.contains(e.key())) {
                    bytes += e.size();
                }
            }
        }
        Optional<RemoteDestination> remote = config.remoteSettings().map(RemoteDestination::of);
        Optional<RemoteHealth.Outage> outage = remote.flatMap(to -> store.remoteHealth(to).unavailableUntil());
        int forOthers = summary.count() == 0 ? 0 : queue.countForOtherRemotes(remote);
        Optional<RemoteHealth.Refusal> refusal = remote.flatMap(to -> store.remoteHealth(to).writeRefused());
        return new RemoteBacklog(summary.count(), bytes, summary.oldest(), outage, remote.isPresent(), forOthers,
                refusal);
    }

    /** A store that does not exist yet has nothing waiting, and no build marked the remote in it. */
    static RemoteBacklog none() {
        return new RemoteBacklog(0, 0, Optional.empty(), Optional.empty(), false, 0, Optional.empty());
    }

    String pendingText() {
        return pending == 0 ? "none" : pending + (pending == 1 ? " entry" : " entries") + " ("
                + ByteSize.format(pendingBytes) + "), oldest queued " + oldest.map(Instant::toString).orElse("?");
    }

    String remoteText() {
        String reads = outage.map(o -> "unavailable until " + o.until() + (o.why().isEmpty() ? "" : " (" + o.why() + ")"))
                .orElse("not marked unavailable");
        return reads + refusal.map(r -> "; it " + (r.rejected() ? "rejected" : "refused") + " the upload of entries at "
                + r.at() + (r.why().isEmpty() ? "" : " (" + r.why() + ")") + ", so they wait: " + (r.rejected()
                ? "fix what the error names (the bucket or endpoint in [cache.remote], a proxy in between)"
                + " and run kache sync --push"
                : "give the credentials write access and run kache sync --push, or set remote_readonly = true"))
                .orElse("");
    }

    String json() {
        return "{\"count\": " + pending + ", \"bytes\": " + pendingBytes + ", \"oldest\": "
                + oldest.map(t -> JsonText.quote(t.toString())).orElse("null") + "}";
    }

    String outageJson() {
        return outage.map(o -> "{\"until\": " + JsonText.quote(o.until().toString()) + ", \"why\": "
                + JsonText.quote(o.why()) + "}").orElse("null");
    }

    /** The refusal as {@code remoteText} says it, for {@code stats --json}: {@code null} while uploads go through. */
    String refusalJson() {
        return refusal.map(r -> "{\"at\": " + JsonText.quote(r.at().toString()) + ", \"why\": "
                + JsonText.quote(r.why()) + ", \"kind\": " + JsonText.quote(r.rejected() ? "rejected" : "access-denied")
                + "}").orElse("null");
    }
}
