package io.kache.core.wrapper;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.Invocation;
import io.kache.core.remote.RemoteStores;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.LocalStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One cacheable rustc call and all its steps share: what it is (the parsed call, and the sentinels
 * that stand for its local directories in what is stored), where it came from and where its output
 * goes (the {@link Invocation}: arguments, environment, directory, streams), and what it runs
 * against (the wrapper's settings, the opened local store, and the remotes of whoever serves it).
 * Made by {@link RustcWrapper#prepare}; the store is closed by {@link CallOutcome.Cacheable#run}.
 *
 * @param rustc the parsed call
 * @param inv where the call came from and where its output goes
 * @param settings the wrapper's settings for the call's environment and directory
 * @param store the opened local store
 * @param sentinels the call's local directories and the sentinels that stand for them
 * @param remotes the remotes of the call's owner (the server, or the one JVM call), opened on first use
 */
public record WrappedCall(RustcCall rustc, Invocation inv, WrapperSettings settings, LocalStore store,
                          PathSentinels sentinels, OpenRemotes remotes) {

    /** The remote this call reads through, with the call's credentials; empty when none applies. */
    Optional<ArtifactStore> remote() throws StoreException {
        return remotes.get(remoteSettings());
    }

    /** Whether the remote may be read now: waits at most {@code remote_deadline} for the server's to open. */
    OpenRemotes.Readiness remoteReadiness() {
        return remotes.readiness(remoteSettings(), settings.remoteDeadline());
    }

    private Optional<RemoteSettings> remoteSettings() {
        return remoteSettings(settings, inv);
    }

    /**
     * The remote of {@code settings} with {@code inv}'s credentials. The credential chain's warnings
     * (a half-set key pair, a missing profile) are one notice of the call's build, said once: not a
     * log line, which would land on rustc's stderr in a JVM call (cargo replays it) and be lost in
     * the server's.
     */
    static Optional<RemoteSettings> remoteSettings(WrapperSettings settings, Invocation inv) {
        List<String> warnings = new ArrayList<>(0);
        Optional<RemoteSettings> remote = RemoteStores.withCredentials(settings.remote(), inv.env(), warnings::add);
        if (!warnings.isEmpty()) {
            UserNotices.warn(inv, UserNotices.Topic.CREDENTIALS, String.join("; ", warnings));
        }
        return remote;
    }

    /**
     * Says {@code message} about {@code topic} to the user of this call's build: every warning of a
     * prepared call (a failed lookup, store or remote read) goes through here to {@link UserNotices},
     * once per build and never on rustc's stderr, which cargo would replay.
     */
    void notice(UserNotices.Topic topic, String message) {
        UserNotices.warn(inv, topic, message);
    }

    /** Runs the call unchanged, counted under {@code reason}; returns the compiler's exit code. */
    int passThrough(String reason) {
        store.recordPassthrough(reason);
        return RustcProcess.passthrough(inv, reason);
    }
}
