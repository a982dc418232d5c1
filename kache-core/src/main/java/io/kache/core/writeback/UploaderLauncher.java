package io.kache.core.writeback;

import io.kache.core.Invocation;
import io.kache.core.LowPriority;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.LocalStore;
import io.kache.core.store.PendingUploads;
import io.kache.core.store.UploaderLock;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the background uploader when none is running. The uploader is a separate JVM with its
 * output discarded, so cargo (which waits for the wrapper's pipes to close) never waits for an
 * upload: write-back costs the build one process spawn. It runs at a lower CPU and I/O priority
 * ({@link LowPriority}) and waits for the build to leave the store alone ({@link UploadPacing}).
 */
public final class UploaderLauncher {

    private UploaderLauncher() {
    }

    /**
     * Starts an uploader for {@code store} and the remote {@code to} unless one holds the lock. The
     * uploader reads its configuration where {@code inv} runs, which names that remote.
     */
    public static void ensureRunning(Invocation inv, LocalStore store, RemoteDestination to) throws IOException {
        PendingUploads queue = store.pendingUploads();
        Optional<UploaderLock> free = queue.tryLockUploader(to);
        if (free.isEmpty()) {
            return;
        }
        free.get().close();
        if (!queue.claimStart(to)) {
            return;   // another call launched one a moment ago; its JVM is still starting
        }
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(LowPriority.prefix(LowPriority.Level.UPLOADS));
        // One processor's worth of JIT and GC threads: the uploader must not take the build's cores.
        command.addAll(List.of(java.get(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1",
                "-XX:-UsePerfData", "-Xlog:disable", "-cp", System.getProperty("java.class.path"), BackgroundUploader.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(inv.cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(queue.uploaderLog()));
        pb.environment().clear();
        pb.environment().putAll(inv.env());
        pb.start();
    }
}
