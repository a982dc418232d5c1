package io.kache.core.key;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything about a call besides its arguments: toolchain banner, salt, extra environment
 * (values may hold {@link CargoTree} placeholders) and the resolved linker identity.
 */
record EnvSpec(String toolchain, String salt, Map<String, String> env, Optional<String> linker) {

    EnvSpec {
        env = Map.copyOf(env);
    }

    EnvSpec withToolchain(String v) {
        return new EnvSpec(v, salt, env, linker);
    }

    EnvSpec withSalt(String v) {
        return new EnvSpec(toolchain, v, env, linker);
    }

    EnvSpec withLinker(Optional<String> v) {
        return new EnvSpec(toolchain, salt, env, v);
    }

    /** This spec with {@code name} set to {@code value}, or removed when {@code value} is null. */
    EnvSpec withEnv(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return new EnvSpec(toolchain, salt, copy, linker);
    }
}
