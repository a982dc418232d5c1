package io.kache.core.rustc;

import java.util.Arrays;
import java.util.Locale;
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
final class UnkeyedReads {

    /** Unstable options whose value names files rustc reads. */
    private static final Set<String> UNSTABLE_READS = Set.of("llvm-plugins", "sanitizer-dataflow-abilist");
    /** An LLVM option's value ending in an extension: {@code attrs.csv}, {@code list.txt}. */
    private static final Pattern FILE_NAME = Pattern.compile(".*\\.[A-Za-z][A-Za-z0-9]*");

    private UnkeyedReads() {
    }

    /** The reason {@code -C key=val} passes through, or empty when the option reads no unkeyed file; {@code key} with dashes. */
    static Optional<String> ofCodegen(String key, String val) {
        return switch (key) {
            case "llvm-args" -> Arrays.stream(val.trim().split("\\s+")).anyMatch(t -> t.startsWith("@"))
                    ? Optional.of("-C llvm-args with a response file kache does not key")
                    : Arrays.stream(val.trim().split("\\s+")).anyMatch(UnkeyedReads::namesAFile)
                    ? Optional.of("-C llvm-args names a file kache does not key") : Optional.empty();
            case "dlltool" -> Optional.of("-C dlltool names a program kache does not key");
            default -> Optional.empty();
        };
    }

    /**
     * Whether an LLVM option reads a file: many do, by path ({@code -forceattrs-csv-path=attrs.csv},
     * {@code -basic-block-sections=list.txt}, {@code -cs-profile-path=…}: found by a hunt, an emptied
     * CSV still served the code built with it). Told by the option's name or a value that looks like a
     * path or a file name; a number, a word or a list of names is none.
     */
    private static boolean namesAFile(String option) {
        int eq = option.indexOf('=');
        if (eq < 0) {
            return false;
        }
        String name = option.substring(0, eq).toLowerCase(Locale.ROOT);
        String value = option.substring(eq + 1);
        return name.contains("file") || name.contains("path") || name.contains("csv") || name.contains("replay")
                || name.contains("summary") || value.contains("/") || FILE_NAME.matcher(value).matches();
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
