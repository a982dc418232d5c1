package io.kache.core.key;

import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.RustcCall;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Computes keys for generated calls in a {@link CargoTree}, exactly as the wrapper would. */
final class Keys {

    static final String HEX64 = "[0-9a-f]{64}";

    private Keys() {
    }

    static String callKey(CargoTree tree, List<String> args, EnvSpec e) throws IOException {
        RustcCall call = tree.parse(args);
        return CacheKeyRecipe.callKey(call, context(tree, call, e));
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
