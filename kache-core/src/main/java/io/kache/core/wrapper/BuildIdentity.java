package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.journal.BuildId;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The build a call belongs to, as {@link BuildId} defines it (the cargo process that ran kache, by
 * pid and start time, or {@code KACHE_BUILD_ID}), with that process's pid: its stderr is where
 * {@link UserNotices} speak. The wrapper is this JVM, or in the server the native client that
 * forwarded the call ({@link Invocation#descriptorOwner()}).
 *
 * @param pid the build process
 * @param name the build's id, a file name
 */
record BuildIdentity(long pid, String name) {

    /** The build of {@code inv}, or empty when its parent is gone. */
    static Optional<BuildIdentity> of(Invocation inv) {
        OptionalLong pid = BuildId.buildPid(inv.descriptorOwner());
        if (pid.isEmpty() || pid.getAsLong() <= 1) {
            return Optional.empty();
        }
        // A KACHE_BUILD_ID may hold anything: as a file name only its plain characters.
        String name = BuildId.of(inv.descriptorOwner(), inv.env()).replaceAll("[^A-Za-z0-9_-]", "_");
        return Optional.of(new BuildIdentity(pid.getAsLong(), name));
    }

    /** Whether the build named {@code name} is still running. */
    static boolean running(String name) {
        return BuildId.running(name);
    }
}
