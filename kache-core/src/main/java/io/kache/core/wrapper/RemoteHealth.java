package io.kache.core.wrapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers that the remote failed, so the rest of the build stops asking it. Each rustc call is
 * its own process, so "the rest of the process's life" is kept as a marker file under the local
 * store that expires after {@link #QUIET_PERIOD}: one failure costs the build one deadline, not
 * one per crate.
 */
final class RemoteHealth {

    static final Duration QUIET_PERIOD = Duration.ofMinutes(2);

    private final Path marker;

    RemoteHealth(Path storeRoot) {
        this.marker = storeRoot.resolve("remote-unavailable");
    }

    boolean recentlyFailed() {
        try {
            FileTime t = Files.getLastModifiedTime(marker);
            return t.toInstant().plus(QUIET_PERIOD).isAfter(Instant.now());
        } catch (IOException e) {
            return false;
        }
    }

    void markFailed(String why) {
        try {
            Files.writeString(marker, why + "\n");
        } catch (IOException e) {
            WrapperLog.debug("cannot record the remote failure: " + e);
        }
    }
}
