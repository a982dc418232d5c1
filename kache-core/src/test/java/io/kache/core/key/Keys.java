package io.kache.core.key;

import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.RustcCall;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Computes keys for generated calls in a {@link CargoTree}, exactly as the wrapper would. */
final class Keys {

    static final String HEX64 = "[0-9a-f]{64}";

    private Keys() {
    }

    static String callKey(CargoTree tree, List<String> args, EnvSpec e) throws IOException {
        RustcCall call = tree.parse(args);
        KeyContext ctx = context(tree, call, e);
        String key = CacheKeyRecipe.callKey(call, ctx);
        checkBreakdown(key, CacheKeyRecipe.callKeyParts(call, ctx));
        return key;
    }

    // Every key a property computes is also taken apart: the breakdown must follow the key both ways.
    private static final Map<String, String> BREAKDOWN_OF_KEY = new ConcurrentHashMap<>();
    private static final Map<String, String> KEY_OF_BREAKDOWN = new ConcurrentHashMap<>();

    /**
     * Holds {@code why-miss} to the key: the same key always breaks down the same way, and two keys
     * that differ always differ in some part (in its digest, or in the parts' order), so a miss is
     * never explained with "nothing differs".
     */
    private static void checkBreakdown(String key, KeyBreakdown parts) {
        String encoded = parts.encode();
        String before = BREAKDOWN_OF_KEY.putIfAbsent(key, encoded);
        if (before != null && !before.equals(encoded)) {
            throw new AssertionError("one call key, two breakdowns:\n" + before + "\n" + encoded);
        }
        String other = KEY_OF_BREAKDOWN.putIfAbsent(encoded, key);
        if (other != null && !other.equals(key)) {
            throw new AssertionError("keys " + other + " and " + key + " differ in no part:\n" + encoded);
        }
    }

    static String callKey(CargoTree tree, CallSpec s, EnvSpec e) throws IOException {
        return callKey(tree, s.args(), e);
    }

    static KeyContext context(CargoTree tree, RustcCall call, EnvSpec e) {
        Map<String, String> env = tree.env(e.env());
        return tree.context(call, env, e.toolchain(), e.salt(), e.linker());
    }

    /** The entry key of a call whose dep-info (placeholder text) is rendered for this tree. */
    static String entryKey(CargoTree tree, CallSpec s, EnvSpec e, String depInfo) throws IOException {
        RustcCall call = tree.parse(s.args());
        KeyContext ctx = context(tree, call, e);
        InputSet inputs = InputScanner.scan(DepInfo.parse(tree.render(depInfo)), ctx);
        return CacheKeyRecipe.entryKey(CacheKeyRecipe.callKey(call, ctx), inputs);
    }

    /**
     * Dep-info as rustc writes it for {@code files} (relative or placeholder-absolute) and env-deps
     * ({@code null} value: unset).
     */
    static String depInfo(List<String> files, Map<String, String> envDeps) {
        String deps = String.join(" ", files.stream().map(f -> f.replace(" ", "\\ ")).toList());
        StringBuilder sb = new StringBuilder();
        sb.append(CargoTree.DEPS).append("/core_lib-aa3a86d02ac9e920.d: ").append(deps).append("\n\n");
        sb.append(CargoTree.DEPS).append("/libcore_lib-aa3a86d02ac9e920.rlib: ").append(deps).append("\n\n");
        sb.append(CargoTree.DEPS).append("/libcore_lib-aa3a86d02ac9e920.rmeta: ").append(deps).append("\n\n");
        for (String f : files) {
            sb.append(f.replace(" ", "\\ ")).append(":\n");
        }
        sb.append('\n');
        envDeps.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
            sb.append("# env-dep:").append(en.getKey());
            if (en.getValue() != null) {
                sb.append('=').append(en.getValue().replace("\\", "\\\\").replace("\n", "\\n")
                        .replace("\r", "\\r"));
            }
            sb.append('\n');
        });
        return sb.toString();
    }
}
