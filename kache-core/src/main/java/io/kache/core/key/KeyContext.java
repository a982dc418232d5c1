package io.kache.core.key;

import io.kache.core.hash.FileHasher;
import io.kache.core.rustc.PathSentinels;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a key needs besides the rustc arguments: facts about the machine and the call, each already
 * resolved (and memoized) by the caller.
 *
 * @param toolchain the toolchain banner ({@code rustc -vV})
 * @param sentinels local directory prefixes and their sentinels
 * @param env the call's environment
 * @param cwd the call's working directory
 * @param salt the configured {@code key_salt}
 * @param linker the linker's identity, for calls that link
 * @param hasher content hashes of files (externs, target specs, sources)
 * @param keyedEnv the {@code key_env_vars} of this call, by name: the value, or empty when unset
 * @param driver for a call run through a workspace wrapper, that wrapper's identity and the inputs
 *     it reads besides rustc's ({@link ClippyInputs}); empty for rustc alone
 * @param hostCpu the CPU a {@code native} target CPU means here ({@link CacheKeyRecipe})
 */
public record KeyContext(String toolchain, PathSentinels sentinels, Map<String, String> env, Path cwd,
                         String salt, Optional<String> linker, FileHasher hasher,
                         Map<String, Optional<String>> keyedEnv, Optional<String> driver, HostCpu hostCpu) {

    /** A context for rustc alone, on this machine's CPU. */
    public KeyContext(String toolchain, PathSentinels sentinels, Map<String, String> env, Path cwd,
                      String salt, Optional<String> linker, FileHasher hasher,
                      Map<String, Optional<String>> keyedEnv) {
        this(toolchain, sentinels, env, cwd, salt, linker, hasher, keyedEnv, Optional.empty(), HostCpu.system());
    }

    /** A context without {@code key_env_vars}. */
    public KeyContext(String toolchain, PathSentinels sentinels, Map<String, String> env, Path cwd,
                      String salt, Optional<String> linker, FileHasher hasher) {
        this(toolchain, sentinels, env, cwd, salt, linker, hasher, Map.of());
    }

    public KeyContext {
        Objects.requireNonNull(toolchain, "toolchain");
        Objects.requireNonNull(sentinels, "sentinels");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(linker, "linker");
        Objects.requireNonNull(hasher, "hasher");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(hostCpu, "hostCpu");
        keyedEnv = Collections.unmodifiableMap(new TreeMap<>(keyedEnv));
    }

    /** This context for a call run through a workspace wrapper of identity {@code driver}. */
    public KeyContext withDriver(String driver) {
        return new KeyContext(toolchain, sentinels, env, cwd, salt, linker, hasher, keyedEnv, Optional.of(driver), hostCpu);
    }

    /** This context hashing files with {@code other} (e.g. another handle on the same store's memo). */
    public KeyContext withHasher(FileHasher other) {
        return new KeyContext(toolchain, sentinels, env, cwd, salt, linker, other, keyedEnv, driver, hostCpu);
    }

    /** This context on a machine whose CPU is {@code cpu}. */
    public KeyContext withHostCpu(HostCpu cpu) {
        return new KeyContext(toolchain, sentinels, env, cwd, salt, linker, hasher, keyedEnv, driver, cpu);
    }

    /** {@code path} made absolute against the call's directory, normalized to sentinels. */
    String normalizedPath(String path) {
        return sentinels.normalize(resolve(path).toString());
    }

    /**
     * {@code path} against the call's directory as the system resolves it: {@code .} dropped, but a
     * {@code ..} kept, since it follows whatever link comes before it ({@code src/gen/../data.txt}
     * is not {@code src/data.txt} when {@code src/gen} is a symbolic link).
     */
    Path resolve(String path) {
        Path p = cwd.resolve(path);
        for (Path name : p) {
            if (name.toString().equals("..")) {
                return withoutDots(p);
            }
        }
        return p.normalize();
    }

    private static Path withoutDots(Path p) {
        Path out = p.getRoot();
        for (Path name : p) {
            if (!name.toString().equals(".")) {
                out = out == null ? name : out.resolve(name);
            }
        }
        return out;
    }
}
