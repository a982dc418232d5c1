package io.kache.core.wrapper;

import io.kache.core.Invocation;
import java.util.Optional;

/**
 * The build a call belongs to: the cargo process that ran kache, by its pid and start time (a pid
 * alone is reused). That is the wrapper's parent — of this JVM, or in the server of the native
 * client that forwarded the call ({@link Invocation#descriptorOwner()}).
 *
 * @param pid the build process
 * @param startMillis its start time, epoch milliseconds
 */
record BuildIdentity(long pid, long startMillis) {

    /** The build of {@code inv}, or empty when its parent is gone or its start time unknown. */
    static Optional<BuildIdentity> of(Invocation inv) {
        Optional<ProcessHandle> wrapper = inv.descriptorOwner().isPresent()
                ? ProcessHandle.of(inv.descriptorOwner().getAsLong()) : Optional.of(ProcessHandle.current());
        Optional<ProcessHandle> build = wrapper.flatMap(ProcessHandle::parent);
        if (build.isEmpty()) {
            return Optional.empty();
        }
        return build.get().info().startInstant()
                .map(start -> new BuildIdentity(build.get().pid(), start.toEpochMilli()));
    }

    /** A file name for this build: {@code PID-STARTMILLIS}. */
    String name() {
        return pid + "-" + startMillis;
    }

    /** Whether the build named {@code name} is still running. */
    static boolean running(String name) {
        int dash = name.indexOf('-');
        try {
            long pid = Long.parseLong(name.substring(0, dash));
            long start = Long.parseLong(name.substring(dash + 1));
            return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
                    .map(s -> s.toEpochMilli() == start).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
