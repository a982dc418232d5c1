package io.kache.core;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment kache's caller gave it, before its launcher ({@code bin/kache}) changed the JVM's.
 * Java turns every path, argument and environment value it hands a process into bytes with the
 * charset of its locale; with none set (many containers) or one that is not installed, that is
 * ASCII, and an {@code é} in a checkout's path or an {@code env!()} value reached rustc as {@code ?}:
 * wrong artifacts and failed builds. So the launcher runs the JVM with {@code LC_ALL=C.UTF-8} and
 * records the caller's own {@code LC_ALL} in {@link #MARK}; this puts it back, so what kache runs and
 * keys sees the caller's environment, unchanged.
 */
public final class CallerEnvironment {

    /** {@code =VALUE} for the caller's {@code LC_ALL}, or {@code unset}: set by the launcher. */
    static final String MARK = "KACHE_CALLER_LC_ALL";

    private CallerEnvironment() {
    }

    /** {@code jvmEnv} (this JVM's {@code System.getenv()}) as the caller had it. */
    public static Map<String, String> of(Map<String, String> jvmEnv) {
        String was = jvmEnv.get(MARK);
        if (was == null) {
            return jvmEnv;
        }
        Map<String, String> env = new HashMap<>(jvmEnv);
        env.remove(MARK);
        if (was.startsWith("=")) {
            env.put("LC_ALL", was.substring(1));
        } else {
            env.remove("LC_ALL");
        }
        return env;
    }

    /**
     * The environment to start another kache JVM with for a caller whose environment is
     * {@code callerEnv}: as the launcher does, in {@code C.UTF-8} with the caller's {@code LC_ALL}
     * recorded, when the launcher did so for this JVM (it checked that the locale is there).
     */
    public static Map<String, String> forKacheJvm(Map<String, String> callerEnv) {
        if (!System.getenv().containsKey(MARK)) {
            return callerEnv;
        }
        Map<String, String> env = new HashMap<>(callerEnv);
        String lcAll = callerEnv.get("LC_ALL");
        env.put(MARK, lcAll == null ? "unset" : "=" + lcAll);
        env.put("LC_ALL", "C.UTF-8");
        return env;
    }

    /** This JVM's caller's environment. */
    public static Map<String, String> current() {
        return of(System.getenv());
    }

    /**
     * Sets a new process's environment ({@link ProcessBuilder#environment()}, which starts as this
     * JVM's) to {@code wanted}, leaving every entry that already holds its value untouched: Java keeps
     * an inherited entry's bytes as they came, and only so can a value that is not UTF-8 reach the
     * process unchanged. Put back from its decoded form, a stray byte became U+FFFD, and rustc
     * compiled an {@code option_env!} it refuses (found in a JVM per call; the server hands such a
     * call back to its client).
     */
    public static void applyTo(Map<String, String> processEnv, Map<String, String> wanted) {
        processEnv.keySet().retainAll(wanted.keySet());
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!e.getValue().equals(processEnv.get(e.getKey()))) {
                processEnv.put(e.getKey(), e.getValue());
            }
        }
    }
}
