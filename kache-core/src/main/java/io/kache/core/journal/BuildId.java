package io.kache.core.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a "build" is: one cargo process. cargo runs {@code kache RUSTC ARGS…} as its own child
 * (bin/kache {@code exec}s the native client or the JVM, so the wrapper's process is cargo's
 * child), so every call of one {@code cargo build} shares its parent: the build's id is that
 * parent's pid and start time ({@code PPID-STARTTICKS}, unique across pid reuse). The server path
 * asks the same of its client's pid. {@code KACHE_BUILD_ID} overrides it (a CI job spanning several
 * cargo commands); a rustc run by a build script belongs to that script's process instead.
 */
public final class BuildId {

    /** The environment variable that names the build explicitly. */
    public static final String ENV = "KACHE_BUILD_ID";

    private BuildId() {
    }

    /**
     * The build of the wrapper process {@code pid} (the server's client), or of this JVM when empty.
     * Reads two small files of {@code /proc} ({@code /proc/self} for this JVM: {@link ProcessHandle}
     * costs a fresh JVM milliseconds); elsewhere falls back to {@link ProcessHandle}.
     */
    public static String of(java.util.OptionalLong pid, Map<String, String> env) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return BuildEvent.clean(explicit.strip().length() > 64 ? explicit.strip().substring(0, 64) : explicit.strip());
        }
        // No lambdas or streams: each costs a fresh JVM a bootstrap on the hit path.
        String[] self = stat(pid.isPresent() ? Long.toString(pid.getAsLong()) : "self");
        if (self != null) {
            String ppid = self[1];
            String[] parent = stat(ppid);
            return ppid + "-" + (parent != null ? parent[19] : "0");
        }
        Optional<ProcessHandle> parent = (pid.isPresent() ? ProcessHandle.of(pid.getAsLong())
                : Optional.of(ProcessHandle.current())).flatMap(ProcessHandle::parent);
        if (parent.isEmpty()) {
            return "unknown";
        }
        Optional<java.time.Instant> started = parent.get().info().startInstant();
        return parent.get().pid() + "-" + (started.isPresent() ? started.get().toEpochMilli() : 0L);
    }

    /** The build process (cargo) of the wrapper process {@code pid}, or of this JVM when empty: its parent. */
    public static java.util.OptionalLong buildPid(java.util.OptionalLong pid) {
        String[] self = stat(pid.isPresent() ? Long.toString(pid.getAsLong()) : "self");
        if (self != null) {
            try {
                return java.util.OptionalLong.of(Long.parseLong(self[1]));
            } catch (NumberFormatException e) {
                return java.util.OptionalLong.empty();
            }
        }
        Optional<ProcessHandle> parent = (pid.isPresent() ? ProcessHandle.of(pid.getAsLong())
                : Optional.of(ProcessHandle.current())).flatMap(ProcessHandle::parent);
        return parent.isPresent() ? java.util.OptionalLong.of(parent.get().pid()) : java.util.OptionalLong.empty();
    }

    /** Whether the build named {@code id} ({@code PID-STARTTICKS}, as {@link #of} names it) is still running. */
    public static boolean running(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        String[] stat = stat(id.substring(0, dash));
        return stat != null && stat[19].equals(id.substring(dash + 1));
    }

    /**
     * The command line of the build named {@code id} ({@code PID-STARTTICKS}) while it runs: cargo's
     * arguments, from {@code /proc/PID/cmdline}. Empty for an explicit {@link #ENV} id, a build that
     * has ended (or whose pid now names another process), or where {@code /proc} cannot be read.
     */
    public static Optional<java.util.List<String>> commandLine(String id) {
        if (!running(id)) {
            return Optional.empty();
        }
        try {
            String pid = id.substring(0, id.indexOf('-'));
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            java.util.List<String> args = new java.util.ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            // Read after the check: a pid reused in between would show another start time.
            return running(id) ? Optional.of(args) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The fields of {@code /proc/PID/stat} after the command name: [0] state, [1] ppid, … [19] starttime. */
    private static String[] stat(String pid) {
        try {
            String s = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/stat")), StandardCharsets.US_ASCII);
            // The command name is in parentheses and may hold spaces: fields start after the last ')'.
            int close = s.lastIndexOf(')');
            String[] f = s.substring(close + 2).split(" ");
            return f.length > 19 ? f : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
