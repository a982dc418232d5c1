package io.kache.core.rustc;

import java.util.List;
import java.util.Optional;

/**
 * Options that make rustc or the linker write files besides the outputs kache collects: a hit
 * restores the outputs only, so the file would be missing, or stale from an earlier build, after a
 * hit. A call with one runs unchanged, saying which ({@link Passthrough}).
 */
final class SideFiles {

    /**
     * Linker options that write a file: a link map (GNU ld, lld, mold), a dependency file, an
     * import library or a .def file, and the C compiler driver's kept temporaries.
     */
    private static final List<String> LINKER_WRITES = List.of("-Map", "--Map", "--dependency-file", "--out-implib",
            "--output-def", "-save-temps");

    /**
     * Unstable rustc options that write files of their own: MIR and dependency-graph dumps, profiles
     * and traces, borrow-checker facts, coverage notes, temporaries kept elsewhere, optimization
     * remarks and feature-usage metrics written to a directory.
     */
    private static final List<String> UNSTABLE_WRITES = List.of("dump-mir", "dump-dep-graph", "dump-mono-stats",
            "dump-proof-tree", "self-profile", "llvm-time-trace", "nll-facts", "profile", "temps-dir",
            "query-dep-graph", "remark-dir", "metrics-dir", "print-codegen-stats-json", "split-dwarf-out-dir");

    private SideFiles() {
    }

    /**
     * The linker option among the tokens of one {@code -C link-arg(s)} / {@code -Z pre-link-arg(s)}
     * value that writes a file, if any. Looks into {@code -Wl,a,b} and past {@code -Xlinker}.
     */
    static Optional<String> writtenByLinker(List<String> tokens) {
        for (String token : tokens) {
            List<String> parts = token.startsWith("-Wl,") ? List.of(token.substring(4).split(",")) : List.of(token);
            for (String part : parts) {
                for (String option : LINKER_WRITES) {
                    if (part.equals(option) || part.startsWith(option + "=")) {
                        return Optional.of(option);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the unstable option {@code -Z value} writes files of its own. */
    static boolean writtenByUnstable(String value) {
        int eq = value.indexOf('=');
        String name = (eq < 0 ? value : value.substring(0, eq)).replace('_', '-');
        return UNSTABLE_WRITES.stream().anyMatch(o -> name.equals(o) || name.startsWith(o + "-"));
    }
}
