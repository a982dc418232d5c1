package io.kache.core.store;

import io.kache.core.remote.RemoteDestination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Remembers that the remote failed, so the rest of the build stops asking it. Each rustc call is
 * its own process, so "the rest of the process's life" is kept as a marker file under the local
 * store that expires after {@link #QUIET_PERIOD}: one failure costs the build one deadline, not
 * one per crate. One marker per remote ({@link RemoteDestination}): projects sharing the store may
 * have different remotes, and one's failing remote must not stop the builds of another's healthy one.
 */
public final class RemoteHealth {

    public static final Duration QUIET_PERIOD = Duration.ofMinutes(2);

    private final StoreLayout layout;
    private final Path marker;
    private final Path refused;

    RemoteHealth(StoreLayout layout, RemoteDestination to) {
        this.layout = layout;
        this.marker = layout.remoteUnavailable(to.id());
        this.refused = layout.remoteUnavailable(to.id() + ".refused");
    }

    /** Whether the remote failed within {@link #QUIET_PERIOD}. */
    public boolean recentlyFailed() {
        return unavailableUntil().isPresent();
    }

    /**
     * Until when builds leave the remote alone after its last failure, and what that failure was;
     * empty when the remote is not considered unavailable now.
     */
    public Optional<Outage> unavailableUntil() {
        try {
            Instant until = Files.getLastModifiedTime(marker).toInstant().plus(QUIET_PERIOD);
            if (!until.isAfter(Instant.now())) {
                return Optional.empty();
            }
            String why;
            try {
                why = Files.readString(marker).strip();
            } catch (IOException e) {
                why = "";
            }
            return Optional.of(new Outage(until, withoutClassName(why)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A remote judged unavailable until {@code until}, after the failure {@code why}. */
    public record Outage(Instant until, String why) {

        /** When the failure was recorded. */
        public Instant since() {
            return until.minus(QUIET_PERIOD);
        }
    }

    /** An older kache's marker began with the exception's class ({@code io.kache.api.Store...Exception: }): not for users. */
    private static String withoutClassName(String why) {
        return why.replaceFirst("^(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ", "");
    }

    /**
     * The remote refused an upload at {@code at}, {@code why}: reads may still work, so builds keep
     * asking it, but what they queue waits until an upload goes through again.
     *
     * @param rejected {@code false}: access denied (the credentials may not write); {@code true}:
     *     the request was rejected otherwise (a bucket that does not exist, an endpoint or a proxy
     *     that rejects it), a setting to fix rather than a permission to grant
     */
    public record Refusal(Instant at, String why, boolean rejected) {

        /** An access-denied refusal. */
        public Refusal(Instant at, String why) {
            this(at, why, false);
        }
    }

    /** Marks, on the marker's last line, a refusal that is not access denied; an older kache's marker has no such line. */
    private static final String REJECTED = "kind: rejected";

    /** The last upload refusal, until an upload goes through ({@link #writesAccepted}); empty if none. */
    public Optional<Refusal> writeRefused() {
        try {
            Instant at = Files.getLastModifiedTime(refused).toInstant();
            String why;
            try {
                why = Files.readString(refused).strip();
            } catch (IOException e) {
                why = "";
            }
            boolean rejected = why.equals(REJECTED) || why.endsWith("\n" + REJECTED);
            if (rejected) {
                why = why.substring(0, why.length() - REJECTED.length()).strip();
            }
            return Optional.of(new Refusal(at, why, rejected));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records that the remote refused an upload now (access denied); best effort. Set by the uploader, said by the next build. */
    public void markWriteRefused(String why) {
        writeRefusal(why + "\n");
    }

    /**
     * Records that the remote rejected an upload now for another reason than access (a missing
     * bucket, a request an endpoint or proxy rejects): the queue waits for the user to fix it; best
     * effort. Set by the uploader, said by the next build, shown by {@code kache stats} and {@code doctor}.
     */
    public void markWriteRejected(String why) {
        writeRefusal(why + "\n" + REJECTED + "\n");
    }

    private void writeRefusal(String content) {
        try {
            Files.createDirectories(layout.remoteUnavailableDir());
            layout.writeAtomically(refused, content);
        } catch (IOException e) {
            LoggerFactory.getLogger(RemoteHealth.class).debug("cannot record the refused upload: {}", e.toString());
        }
    }

    /** An upload went through (the uploader's, or kache sync --push's): a refusal recorded earlier no longer holds. */
    public void writesAccepted() {
        try {
            Files.deleteIfExists(refused);
        } catch (IOException e) {
            LoggerFactory.getLogger(RemoteHealth.class).debug("cannot clear the refused upload: {}", e.toString());
        }
    }

    /** Records a failure of the remote now; best effort. */
    public void markFailed(String why) {
        try {
            Path dir = layout.remoteUnavailableDir();
            if (Files.isRegularFile(dir)) {
                // An older kache's marker, of whichever remote failed it: a guess not worth keeping.
                Files.deleteIfExists(dir);
            }
            Files.createDirectories(dir);
            layout.writeAtomically(marker, why + "\n");
        } catch (IOException e) {
            LoggerFactory.getLogger(RemoteHealth.class).debug("cannot record the remote failure: {}", e.toString());
        }
    }
}
