package io.kache.core.writeback;

import io.kache.core.Invocation;
import io.kache.core.LowPriority;
import io.kache.core.config.ConfigKey;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.LocalStore;
import io.kache.core.store.PendingUploads;
import io.kache.core.store.UploaderLock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
     * What the uploader is told on its command line: the remote it was started for, whose start mark
     * it lifts however it ends, and the config file of the call that started it, which it reads.
     *
     * @param launchedFor the remote of the call's configuration
     * @param configFile the call's config file, if it read one
     */
    record Launch(RemoteDestination launchedFor, Optional<Path> configFile) {

        List<String> args() {
            List<String> args = new ArrayList<>(List.of(launchedFor.id()));
            configFile.ifPresent(f -> args.add(f.toString()));
            return args;
        }

        static Launch parse(String[] args) {
            return new Launch(new RemoteDestination(args[0]),
                    args.length > 1 ? Optional.of(Path.of(args[1])) : Optional.empty());
        }

        /**
         * The environment to load the uploader's configuration with: its own, with the call's file as
         * {@code KACHE_CONFIG}. The uploader runs in the call's directory, but a call of a package outside
         * the workspace found the build's file from the build's directories, which that directory does
         * not lead to. A {@code KACHE_CONFIG} of the environment is left as it is: it named the call's file.
         */
        Map<String, String> configEnv(Map<String, String> env) {
            String name = ConfigKey.CONFIG_FILE.envVar().orElseThrow();
            if (configFile.isEmpty() || !env.getOrDefault(name, "").isEmpty()) {
                return env;
            }
            Map<String, String> withFile = new HashMap<>(env);
            withFile.put(name, configFile.get().toString());
            return withFile;
        }
    }

    /**
     * Starts an uploader for {@code store} and the remote {@code to} unless one holds the lock. The
     * uploader runs in the directory of {@code inv}, with its environment, and reads {@code configFile},
     * the file the call's configuration came from, which names that remote.
     */
    public static void ensureRunning(Invocation inv, Optional<Path> configFile, LocalStore store, RemoteDestination to)
            throws IOException {
        PendingUploads queue = store.pendingUploads();
        Optional<UploaderLock> free = queue.tryLockUploader(to);
        if (free.isEmpty()) {
            return;
        }
        free.get().close();
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty() || !queue.claimStart(to)) {
            return;   // another call launched one a moment ago; its JVM is still starting
        }
        List<String> command = new ArrayList<>(LowPriority.prefix(LowPriority.Level.UPLOADS));
        // One processor's worth of JIT and GC threads: the uploader must not take the build's cores.
        command.addAll(List.of(java.get(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1",
                "-XX:-UsePerfData", "-Xlog:disable", "-cp", System.getProperty("java.class.path"), BackgroundUploader.class.getName()));
        command.addAll(new Launch(to, configFile).args());
        ProcessBuilder pb = new ProcessBuilder(command).directory(inv.cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(queue.uploaderLog()));
        pb.environment().clear();
        // A kache JVM in a UTF-8 locale, as bin/kache starts one: it opens the call's config file by its path.
        pb.environment().putAll(io.kache.core.CallerEnvironment.forKacheJvm(inv.env()));
        pb.start();
    }
}
