package io.kache.core.rustc;

import java.util.ArrayList;
import java.util.List;

/**
 * The files rustc writes into {@code --out-dir} for a call, by rustc's naming rules on Linux:
 * {@code lib<name><extra>.rlib}, {@code .rmeta}, {@code .so} for proc-macros and dylibs, {@code .a}
 * for static libraries, {@code <name><extra>} for executables and {@code <name><extra>.d} for
 * dep-info. A call whose real outputs differ from these is not cached.
 */
public final class OutputNames {

    private OutputNames() {
    }

    /** File names relative to the out-dir, sorted. */
    public static List<String> expected(RustcCall call) {
        String stem = call.crateName() + call.extraFilename();
        List<String> names = new ArrayList<>();
        if (call.emitKinds().contains("dep-info")) {
            names.add(stem + ".d");
        }
        if (call.emitKinds().contains("metadata")) {
            names.add("lib" + stem + ".rmeta");
        }
        if (call.emitKinds().contains("link")) {
            if (call.isTest()) {
                names.add(stem);
            } else {
                for (String type : call.crateTypes()) {
                    switch (type) {
                        case "bin" -> names.add(stem);
                        case "lib", "rlib" -> names.add("lib" + stem + ".rlib");
                        case "dylib", "cdylib", "proc-macro" -> names.add("lib" + stem + ".so");
                        case "staticlib" -> names.add("lib" + stem + ".a");
                        default -> throw new IllegalStateException("unmodelled crate type " + type);
                    }
                }
            }
        }
        return names.stream().distinct().sorted().toList();
    }

    /**
     * Whether a linker may rewrite this output in place later, so a restore must give it a private
     * copy rather than a hardlink into the store.
     */
    public static boolean isLinkedOutput(String name) {
        return !(name.endsWith(".rlib") || name.endsWith(".rmeta") || name.endsWith(".d"));
    }
}
