package io.kache.core.rustc;

import java.nio.file.Path;
import java.util.ArrayList;
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
 * @param driver the workspace wrapper that runs this call in front of rustc ({@code clippy-driver}
 *     of {@code cargo clippy}: {@code kache DRIVER RUSTC ARGS…}), or empty for rustc alone
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
        boolean isTest,
        Optional<Path> driver) implements ParsedCall {

    public RustcCall {
        Objects.requireNonNull(rustc);
        Objects.requireNonNull(driver);
        execArgs = List.copyOf(execArgs);
        externs = List.copyOf(externs);
        keyArgs = List.copyOf(keyArgs);
        diagnosticArgs = List.copyOf(diagnosticArgs);
    }

    /** This call run through {@code driver} ({@code DRIVER RUSTC ARGS…}). */
    public RustcCall withDriver(Path driver) {
        return new RustcCall(rustc, execArgs, crateName, crateTypes, emitKinds, source, outDir, extraFilename,
                externs, target, keyArgs, diagnosticArgs, linker, isTest, Optional.of(driver));
    }

    /** The program and leading arguments that run this call: {@code RUSTC}, or {@code DRIVER RUSTC}. */
    public List<String> program() {
        return driver.isPresent() ? List.of(driver.get().toString(), rustc.toString()) : List.of(rustc.toString());
    }

    /** An {@code --extern name[=path]} argument; {@code path} is empty for sysroot crates like {@code proc_macro}. */
    public record Extern(String name, Optional<String> path) {
    }

    private static String withoutSearchKind(String value) {
        for (String kind : new String[] {"dependency=", "crate=", "native=", "framework=", "all="}) {
            if (value.startsWith(kind)) {
                return value.substring(kind.length());
            }
        }
        return value;
    }

    /**
     * The {@code -L} directories searched for native libraries (by rustc for {@code #[link]} and
     * {@code -l}, and by the linker): kinds {@code native}, {@code all} and {@code framework}, and a
     * plain {@code -L DIR}, which means {@code all}. {@code dependency} and {@code crate} directories
     * hold crates only.
     */
    public List<String> nativeSearchDirs() {
        return keyArgs.stream().filter(a -> a.startsWith("-L=")).map(a -> a.substring(3))
                .filter(v -> !v.startsWith("dependency=") && !v.startsWith("crate="))
                .map(RustcCall::withoutSearchKind)
                .toList();
    }

    /**
     * The {@code -L} directories rustc searches for crates that no {@code --extern} names by path
     * ({@code extern crate x;}, {@code --extern x}): kinds {@code crate} and {@code all}, and a plain
     * {@code -L DIR}. Not {@code dependency} (cargo's {@code deps/}, whose crates cargo always names
     * by path), not {@code native} or {@code framework} (no crates are looked for there).
     */
    public List<String> crateSearchDirs() {
        return keyArgs.stream().filter(a -> a.startsWith("-L=")).map(a -> a.substring(3))
                .filter(v -> v.startsWith("crate=") || v.startsWith("all=") || !hasSearchKind(v))
                .map(RustcCall::withoutSearchKind)
                .toList();
    }

    private static boolean hasSearchKind(String value) {
        return !withoutSearchKind(value).equals(value);
    }

    /** The {@code -l} values, {@code [KIND[:MODIFIERS]=]NAME[:RENAME]}, in order. */
    public List<String> nativeLibraries() {
        return keyArgs.stream().filter(a -> a.startsWith("-l=")).map(a -> a.substring(3)).toList();
    }

    /**
     * The tokens rustc hands to the linker from {@code -C link-arg}, {@code -C link-args} (split at
     * white space, as rustc does) and {@code -Z pre-link-arg(s)}, in order.
     */
    public List<String> linkArgs() {
        List<String> tokens = new ArrayList<>();
        for (String a : keyArgs) {
            if (a.startsWith("-Clink-arg=") || a.startsWith("-Zpre-link-arg=")) {
                tokens.add(a.substring(a.indexOf('=') + 1));
            } else if (a.startsWith("-Clink-args=") || a.startsWith("-Zpre-link-args=")) {
                for (String t : a.substring(a.indexOf('=') + 1).split("\\s+")) {
                    if (!t.isEmpty()) {
                        tokens.add(t);
                    }
                }
            }
        }
        return tokens;
    }

    /** Whether this call links (produces an executable or a shared/static library), so the linker matters. */
    public boolean links() {
        return emitKinds.contains("link") && (isTest || crateTypes.stream().anyMatch(
                t -> t.equals("bin") || t.equals("dylib") || t.equals("cdylib") || t.equals("proc-macro")
                        || t.equals("staticlib")));
    }

    /**
     * Whether the objects this call writes are LLVM bitcode, where no string is plain bytes: those of
     * {@code -C linker-plugin-lto}, which cargo gives the dependencies of an LTO build. The last one
     * counts, as for rustc. ({@code --emit=llvm-bc} passes through.)
     */
    public boolean writesBitcode() {
        // Any value but rustc's "off" spellings names the plugin, which turns it on.
        return lastSwitch("-Clinker-plugin-lto");
    }

    /**
     * Whether the code is instrumented for source-based coverage ({@code -C instrument-coverage}; the
     * last one counts). Its coverage map names the source files by the paths rustc writes, which a
     * coverage report opens: they must be the checkout's real ones, not {@code --remap-path-prefix}'s
     * sentinels, and LLVM compresses that list, so no byte search finds a path in it.
     */
    public boolean instrumentsCoverage() {
        return lastSwitch("-Cinstrument-coverage");
    }

    /**
     * Whether the program or library gets an rpath ({@code -C rpath}, cargo's {@code rpath = true}):
     * rustc writes it relative to the output's directory ({@code $ORIGIN/../../…/toolchains/…/lib}),
     * so it holds no absolute path a byte search could find, yet depends on where the target dir and
     * the toolchain lie.
     */
    public boolean setsRpath() {
        return links() && lastSwitch("-Crpath");
    }

    /** Whether the last {@code option} (bare, or with a value) is on: any value but rustc's "off" spellings. */
    private boolean lastSwitch(String option) {
        boolean on = false;
        for (String a : keyArgs) {
            if (a.equals(option)) {
                on = true;
            } else if (a.startsWith(option + "=")) {
                on = !List.of("n", "no", "off", "false").contains(a.substring(option.length() + 1));
            }
        }
        return on;
    }

    /** Whether rustc was asked for JSON artifact notifications on stderr. */
    public boolean wantsArtifactNotifications() {
        boolean json = diagnosticArgs.stream().anyMatch(a -> a.equals("--error-format=json"));
        return json && diagnosticArgs.stream()
                .anyMatch(a -> a.startsWith("--json=") && List.of(a.substring(7).split(",")).contains("artifacts"));
    }
}
