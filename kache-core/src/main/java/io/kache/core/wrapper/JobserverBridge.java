package io.kache.core.wrapper;

import io.kache.core.Invocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hands cargo's jobserver on to rustc. cargo passes the jobserver as inherited pipe descriptors
 * ({@code --jobserver-auth=R,W} in {@code CARGO_MAKEFLAGS}), but a JVM starts children with only
 * stdin, stdout and stderr, so rustc would warn and ignore the limit. The same pipe stays reachable
 * by path as {@code /proc/<pid>/fd/R} of the process cargo started (this JVM, or the native client
 * the kache server works for), which rustc's jobserver client opens in {@code fifo:}
 * mode: rustc then shares cargo's tokens as if it had been started directly.
 */
final class JobserverBridge {

    private static final Pattern AUTH = Pattern.compile("--jobserver-(?:auth|fds)=(\\d+),(\\d+)");
    private static final String[] VARS = {"CARGO_MAKEFLAGS", "MAKEFLAGS", "MFLAGS"};

    private JobserverBridge() {
    }

    /** The environment for a rustc child started for {@code inv}. */
    static Map<String, String> childEnv(Invocation inv) {
        Map<String, String> env = inv.env();
        Map<String, String> out = null;
        for (String var : VARS) {
            String flags = env.get(var);
            if (flags == null) {
                continue;
            }
            Matcher m = AUTH.matcher(flags);
            if (!m.find()) {
                continue;
            }
            if (out == null) {
                out = new HashMap<>(env);
            }
            Path pipe = Path.of("/proc", Long.toString(inv.descriptorOwnerPid()), "fd", m.group(1));
            if (Files.exists(pipe)) {
                out.put(var, m.replaceAll("--jobserver-auth=fifo:" + pipe));
            } else {
                // No pipe to hand on: without the flags rustc runs its own limit instead of warning.
                out.put(var, m.replaceAll("").strip());
            }
        }
        return out == null ? env : out;
    }
}
