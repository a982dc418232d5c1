package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.journal.BuildId;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The build a call's notices belong to: the cargo process that ran kache, by pid and start time
 * ({@link BuildId}'s own name for it), with that process's pid: its stderr is where
 * {@link UserNotices} speak. Not {@code KACHE_BUILD_ID}, which names a journal's build and may span
 * many cargo commands, or every build of a shell that exports it: each cargo command's output is
 * where its user looks, and a fixed id said a notice once and then never again. The wrapper is this
 * JVM, or in the server the native client that forwarded the call ({@link Invocation#descriptorOwner()}).
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
        String name = BuildId.of(inv.descriptorOwner(), Map.of());
        return Optional.of(new BuildIdentity(pid.getAsLong(), name));
    }

    /** Whether the build named {@code name} is still running. */
    static boolean running(String name) {
        return BuildId.running(name);
    }
}
