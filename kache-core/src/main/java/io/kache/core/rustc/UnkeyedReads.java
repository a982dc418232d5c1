package io.kache.core.rustc;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Options that make rustc read a file the key would hold only by name: a response file of LLVM
 * options ({@code -C llvm-args=@FILE}, which LLVM expands), an LLVM pass plugin, a codegen backend
 * given by path, a sanitizer's ABI list, the program that makes import libraries. None
 * is in rustc's dep-info, and each changes the code emitted: rebuilt or edited in place, it would
 * leave the old entry served. Rare enough that a call with one runs unchanged, saying which
 * ({@link Passthrough}), rather than be keyed by content. A codegen backend given by name lives in
 * the sysroot, keyed with the toolchain. Not here: {@code -C linker-plugin-lto=PLUGIN}, which only
 * the linker loads, keyed by content for a call that links ({@code LinkInputs}), and
 * {@code -C profile-use}, whose profile rustc lists in the dep-info.
 */
public final class UnkeyedReads {

    /** Unstable options whose value names files rustc reads. */
    private static final Set<String> UNSTABLE_READS = Set.of("llvm-plugins", "sanitizer-dataflow-abilist");
    /** An LLVM option's value ending in an extension: {@code attrs.csv}, {@code list.txt}. */
    private static final Pattern FILE_NAME = Pattern.compile(".*\\.[A-Za-z][A-Za-z0-9]*");

    private UnkeyedReads() {
    }

    /**
     * The reason {@code -C key=val} passes through, or empty when the option reads no unkeyed file;
     * {@code key} with dashes, {@code cwd} the call's directory.
     */
    static Optional<String> ofCodegen(String key, String val, Path cwd) {
        return switch (key) {
            case "llvm-args" -> {
                List<String> options = List.of(val.trim().split("\\s+"));
                yield options.stream().anyMatch(t -> t.startsWith("@"))
                        ? Optional.of("-C llvm-args with a response file kache does not key")
                        : llvmArgsNameAFile(options, cwd)
                        ? Optional.of("-C llvm-args names a file kache does not key") : Optional.empty();
            }
            case "dlltool" -> Optional.of("-C dlltool names a program kache does not key");
            default -> Optional.empty();
        };
    }

    /**
     * Whether any of these LLVM options reads a file: a response file ({@code @FILE}), and the many
     * options that take one by path ({@code -forceattrs-csv-path=attrs.csv},
     * {@code -basic-block-sections=bbs}, {@code -cs-profile-path=…}: found by a hunt, an
     * emptied file still served the code built with it). Told by a value that is a path, a file name
     * with an extension, or a file that is there in {@code cwd}; a number or a word is none (which
     * costs a value naming a file of that name its caching, nothing else).
     */
    public static boolean llvmArgsNameAFile(List<String> options, Path cwd) {
        for (String option : options) {
            if (option.startsWith("@")) {
                return true; // a response file, which LLVM expands
            }
            int eq = option.indexOf('=');
            String value = eq < 0 ? "" : option.substring(eq + 1);
            if (value.isEmpty()) {
                continue;
            }
            if (value.contains("/") || FILE_NAME.matcher(value).matches()) {
                return true;
            }
            try {
                if (Files.exists(cwd.resolve(value))) {
                    return true;
                }
            } catch (InvalidPathException e) {
                // Not a path at all.
            }
        }
        return false;
    }

    /** The reason {@code -Z key=val} passes through, or empty when the option reads no unkeyed file. */
    static Optional<String> ofUnstable(String key, String val) {
        String name = key.replace('_', '-');
        if (UNSTABLE_READS.contains(name)) {
            return Optional.of("-Z " + name + " reads files kache does not key");
        }
        if (name.equals("codegen-backend") && (val.contains("/") || val.contains("."))) {
            return Optional.of("-Z codegen-backend given by path, which kache does not key");
        }
        return Optional.empty();
    }
}
