package io.kache.core.rustc;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A rustc compile that kache understands well enough to cache: every argument was recognised and
 * sorted into what shapes the output (the key) and what only shapes diagnostics.
 *
 * @param rustc the compiler binary cargo asked for
 * @param execArgs the arguments to run rustc with ({@code -C incremental} removed)
 * @param crateName the crate's name
 * @param crateTypes the crate types, sorted
 * @param emitKinds the {@code --emit} kinds, sorted
 * @param source the source file as given (relative to the working directory or absolute)
 * @param outDir the absolute output directory
 * @param extraFilename the {@code -C extra-filename} suffix, or empty
 * @param externs the {@code --extern} arguments
 * @param target the {@code --target} value, if any
 * @param keyArgs every other argument that shapes the output, each as one token, in an order that
 *     is meaningful (order-free flags already sorted)
 * @param diagnosticArgs arguments that only shape diagnostics ({@code --error-format}, {@code --json},
 *     {@code --color}, lint levels), kept out of the key
 * @param linker the {@code -C linker} value, if any
 * @param isTest whether {@code --test} was given
 */
public record RustcCall(
        Path rustc,
        List<String> execArgs,
        String crateName,
        SortedSet<String> crateTypes,
        SortedSet<String> emitKinds,
        String source,
        Path outDir,
        String extraFilename,
        List<Extern> externs,
        Optional<String> target,
        List<String> keyArgs,
        List<String> diagnosticArgs,
        Optional<String> linker,
        boolean isTest) implements ParsedCall {

    public RustcCall {
        Objects.requireNonNull(rustc);
        execArgs = List.copyOf(execArgs);
        externs = List.copyOf(externs);
        keyArgs = List.copyOf(keyArgs);
        diagnosticArgs = List.copyOf(diagnosticArgs);
    }

    /** An {@code --extern name[=path]} argument; {@code path} is empty for sysroot crates like {@code proc_macro}. */
    public record Extern(String name, Optional<String> path) {
    }

    /** The {@code -L} values, in order, without their {@code KIND=} prefix. */
    public List<String> searchPaths() {
        return keyArgs.stream().filter(a -> a.startsWith("-L=")).map(a -> a.substring(3))
                .map(RustcCall::withoutSearchKind)
                .toList();
    }

    private static String withoutSearchKind(String value) {
        for (String kind : new String[] {"dependency=", "crate=", "native=", "framework=", "all="}) {
            if (value.startsWith(kind)) {
                return value.substring(kind.length());
            }
        }
        return value;
    }

    /** The library names of the {@code -l [KIND[:MODIFIERS]=]NAME[:RENAME]} arguments. */
    public List<String> linkedLibraries() {
        return keyArgs.stream().filter(a -> a.startsWith("-l=")).map(a -> a.substring(3))
                .map(v -> v.substring(v.indexOf('=') + 1))
                .map(v -> v.contains(":") ? v.substring(0, v.indexOf(':')) : v)
                .toList();
    }

    /** Whether this call links (produces an executable or a shared/static library), so the linker matters. */
    public boolean links() {
        return emitKinds.contains("link") && (isTest || crateTypes.stream().anyMatch(
                t -> t.equals("bin") || t.equals("dylib") || t.equals("cdylib") || t.equals("proc-macro")
                        || t.equals("staticlib")));
    }

    /** Whether rustc was asked for JSON artifact notifications on stderr. */
    public boolean wantsArtifactNotifications() {
        boolean json = diagnosticArgs.stream().anyMatch(a -> a.equals("--error-format=json"));
        return json && diagnosticArgs.stream()
                .anyMatch(a -> a.startsWith("--json=") && List.of(a.substring(7).split(",")).contains("artifacts"));
    }
}
