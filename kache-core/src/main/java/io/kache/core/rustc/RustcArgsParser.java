package io.kache.core.rustc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Sorts rustc's arguments into what shapes the output and what does not, and refuses anything it
 * has not modelled: an unknown flag means "pass through", never "guess". Modelled on the set of
 * arguments cargo sends (see sccache's {@code parse_arguments} for the same idea).
 */
public final class RustcArgsParser {

    private static final Set<String> CRATE_TYPES =
            Set.of("bin", "lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro");
    private static final Set<String> EMIT_KINDS =
            Set.of("dep-info", "metadata", "link", "obj", "asm", "llvm-ir", "llvm-bc", "mir");
    private static final Set<String> LINT_FLAGS = Set.of("-A", "-W", "-D", "-F", "--allow", "--warn",
            "--deny", "--forbid", "--force-warn", "--cap-lints");

    private RustcArgsParser() {
    }

    /**
     * @param rustc the compiler binary
     * @param args the arguments after the binary
     * @param cwd the working directory, to make {@code --out-dir} absolute
     */
    public static ParsedCall parse(Path rustc, List<String> args, Path cwd) {
        return new State(rustc, cwd).run(args);
    }

    private static final class State {
        final Path rustc;
        final Path cwd;
        final List<String> exec = new ArrayList<>();
        final List<String> keyArgs = new ArrayList<>();
        final SortedSet<String> sortedKeyArgs = new TreeSet<>();
        final List<String> diagnostic = new ArrayList<>();
        final SortedSet<String> crateTypes = new TreeSet<>();
        final SortedSet<String> emitKinds = new TreeSet<>();
        final List<RustcCall.Extern> externs = new ArrayList<>();
        String crateName;
        String source;
        String outDir;
        String extraFilename = "";
        String target;
        String linker;
        String edition;
        boolean test;

        State(Path rustc, Path cwd) {
            this.rustc = rustc;
            this.cwd = cwd;
        }

        ParsedCall run(List<String> args) {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                Flag flag = Flag.split(arg, i + 1 < args.size() ? args.get(i + 1) : null);
                if (flag.consumedNext()) {
                    i++;
                }
                Passthrough refused = accept(arg, flag);
                if (refused != null) {
                    return refused;
                }
            }
            if (crateName == null) {
                return new Passthrough("no --crate-name");
            }
            if (source == null) {
                return new Passthrough("no source file");
            }
            if (outDir == null) {
                return new Passthrough("no --out-dir");
            }
            if (emitKinds.isEmpty()) {
                return new Passthrough("no --emit");
            }
            for (String kind : emitKinds) {
                if (!Set.of("dep-info", "metadata", "link").contains(kind)) {
                    return new Passthrough("--emit=" + kind + " not modelled");
                }
            }
            if (crateTypes.isEmpty() && !test && emitKinds.contains("link")) {
                // The crate's #![crate_type] attributes choose which files it links (a staticlib's .a
                // beside the rlib was left stale; found by a hunt). cargo names no type for a
                // harness = false bench or test, a program whose entry kache never stored anyway.
                return new Passthrough("no --crate-type");
            }
            if (crateTypes.isEmpty()) {
                // --test builds the test harness whatever the attributes say; metadata alone is
                // lib<name>.rmeta whatever they say (the key keeps the "lib" it always had).
                crateTypes.add(test ? "bin" : "lib");
            }
            if (edition != null) {
                keyArgs.add("--edition=" + edition);
            }
            keyArgs.addAll(sortedKeyArgs);
            return new RustcCall(rustc, exec, crateName, crateTypes, emitKinds, source,
                    cwd.resolve(outDir).normalize(), extraFilename, externs, Optional.ofNullable(target),
                    keyArgs, diagnostic, Optional.ofNullable(linker), test, Optional.empty());
        }

        /** Returns a passthrough reason, or null when the argument was understood. */
        Passthrough accept(String raw, Flag f) {
            String name = f.name();
            String value = f.value();
            if (name == null) {
                return positional(raw);
            }
            if (value == null && f.needsValue()) {
                return new Passthrough(name + " without a value");
            }
            switch (name) {
                case "--crate-name" -> {
                    crateName = value;
                    exec.addAll(f.tokens());
                }
                case "--edition" -> {
                    edition = value;
                    exec.addAll(f.tokens());
                }
                case "--crate-type" -> {
                    for (String t : value.split(",")) {
                        if (!CRATE_TYPES.contains(t)) {
                            return new Passthrough("--crate-type " + t + " not modelled");
                        }
                        crateTypes.add(t);
                    }
                    exec.addAll(f.tokens());
                }
                case "--emit" -> {
                    for (String kind : value.split(",")) {
                        if (kind.contains("=")) {
                            return new Passthrough("--emit with an explicit path");
                        }
                        if (!EMIT_KINDS.contains(kind)) {
                            return new Passthrough("--emit=" + kind + " not modelled");
                        }
                        emitKinds.add(kind);
                    }
                    exec.addAll(f.tokens());
                }
                case "-C", "--codegen" -> {
                    return codegen(f);
                }
                case "--cfg" -> {
                    sortedKeyArgs.add("--cfg=" + value);
                    exec.addAll(f.tokens());
                }
                case "--check-cfg" -> {
                    sortedKeyArgs.add("--check-cfg=" + value);
                    exec.addAll(f.tokens());
                }
                case "--out-dir" -> {
                    outDir = value;
                    exec.addAll(f.tokens());
                }
                case "-o" -> {
                    return new Passthrough("-o not modelled");
                }
                case "-L" -> {
                    keyArgs.add("-L=" + value);
                    exec.addAll(f.tokens());
                }
                case "-l" -> {
                    keyArgs.add("-l=" + value);
                    exec.addAll(f.tokens());
                }
                case "--extern" -> {
                    int eq = value.indexOf('=');
                    externs.add(eq < 0 ? new RustcCall.Extern(value, Optional.empty())
                            : new RustcCall.Extern(value.substring(0, eq), Optional.of(value.substring(eq + 1))));
                    exec.addAll(f.tokens());
                }
                case "--target" -> {
                    target = value;
                    exec.addAll(f.tokens());
                }
                case "-Z" -> {
                    Passthrough sideFile = unstableSideFile(value);
                    if (sideFile != null) {
                        return sideFile;
                    }
                    keyArgs.add("-Z" + withDashedName(value));
                    exec.addAll(f.tokens());
                }
                case "--test" -> {
                    test = true;
                    keyArgs.add("--test");
                    exec.add(raw);
                }
                case "-g", "-O" -> {
                    keyArgs.add(name);
                    exec.add(raw);
                }
                case "--error-format", "--json", "--color", "--diagnostic-width" -> {
                    // How diagnostics are rendered, not which exist: an entry without any fits every rendering.
                    diagnostic.add(name + "=" + value);
                    exec.addAll(f.tokens());
                }
                case "--print", "-V", "--version", "-vV", "--pretty", "--unpretty", "-h", "--help", "--explain" -> {
                    return new Passthrough(name + " is not a compile");
                }
                default -> {
                    if (LINT_FLAGS.contains(name)) {
                        // A lint's level decides which diagnostics exist and whether the compile fails
                        // (a denied lint): keyed, in order, since a later level overrides an earlier one.
                        keyArgs.add(name + "=" + value);
                        exec.addAll(f.tokens());
                        return null;
                    }
                    return new Passthrough("unmodelled argument " + name);
                }
            }
            return null;
        }

        /**
         * {@code NAME[=VALUE]} with the name's underscores as dashes: rustc takes {@code target_cpu} for
         * {@code target-cpu}, and the key and the checks on it then see one spelling. The value as given.
         */
        private static String withDashedName(String option) {
            int eq = option.indexOf('=');
            return eq < 0 ? option.replace('_', '-') : option.substring(0, eq).replace('_', '-') + option.substring(eq);
        }

        /** A passthrough when {@code -Z value} writes files of its own, its linker arguments included. */
        Passthrough unstableSideFile(String given) {
            String value = withDashedName(given);
            int eq = value.indexOf('=');
            String key = eq < 0 ? value : value.substring(0, eq);
            if (key.equals("pre-link-arg") || key.equals("pre-link-args")) {
                Optional<String> writes = SideFiles.writtenByLinker(linkTokens(key, eq < 0 ? "" : value.substring(eq + 1)));
                return writes.map(w -> new Passthrough("-Z " + key + " " + w + " writes a file kache does not restore"))
                        .orElse(null);
            }
            if (SideFiles.writtenByUnstable(value)) {
                return new Passthrough("-Z " + key + " writes files kache does not restore");
            }
            return UnkeyedReads.ofUnstable(key, eq < 0 ? "" : value.substring(eq + 1)).map(Passthrough::new).orElse(null);
        }

        /** One link-arg value as one token, a link-args value split at white space, as rustc splits it. */
        private static List<String> linkTokens(String key, String value) {
            return key.endsWith("args") ? List.of(value.trim().split("\\s+")) : List.of(value);
        }

        Passthrough positional(String raw) {
            if (raw.startsWith("@")) {
                return new Passthrough("@argfile");
            }
            if (raw.equals("-")) {
                return new Passthrough("source from stdin");
            }
            if (raw.startsWith("-")) {
                return new Passthrough("unmodelled argument " + raw);
            }
            if (source != null) {
                return new Passthrough("more than one source file");
            }
            source = raw;
            exec.add(raw);
            return null;
        }

        Passthrough codegen(Flag f) {
            String opt = withDashedName(f.value());
            int eq = opt.indexOf('=');
            String key = eq < 0 ? opt : opt.substring(0, eq);
            String val = eq < 0 ? "" : opt.substring(eq + 1);
            Optional<String> unkeyed = UnkeyedReads.ofCodegen(key, val, cwd);
            if (unkeyed.isPresent()) {
                return new Passthrough(unkeyed.get());
            }
            switch (key) {
                case "incremental" -> {
                    // Incremental state is machine-local and makes outputs depend on it: never cached, never keyed.
                    return null;
                }
                case "linker" -> {
                    linker = val;
                    exec.addAll(f.tokens());
                    return null;
                }
                case "extra-filename" -> extraFilename = val;
                case "link-arg", "link-args" -> {
                    Optional<String> writes = SideFiles.writtenByLinker(linkTokens(key, val));
                    if (writes.isPresent()) {
                        return new Passthrough("-C " + key + " " + writes.get() + " writes a file kache does not restore");
                    }
                }
                case "split-debuginfo", "save-temps" -> {
                    // Side files (.dwo, .dwp, temps) that kache does not collect: caching would drop them.
                    if (!val.equals("off") && !val.equals("no") && !val.equals("n")) {
                        return new Passthrough("-C " + key + "=" + val + " not modelled");
                    }
                }
                default -> {
                }
            }
            keyArgs.add("-C" + opt);
            exec.addAll(f.tokens());
            return null;
        }
    }
}
