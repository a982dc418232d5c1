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

    RemoteHealth(StoreLayout layout, RemoteDestination to) {
        this.layout = layout;
        this.marker = layout.remoteUnavailable(to.id());
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
