package io.kache.core.rustc;

import java.util.Map;

/**
 * Which of cargo's units a rustc call compiles, beyond its crate name: the package and the kind of
 * target. A crate name alone is ambiguous: every build script is crate {@code build_script_build},
 * and a package's lib and bin may share a name. The journal and the miss records keep both so that
 * {@code kache why-miss} and {@code kache report} never mix two units of one crate name.
 *
 * @param packageName the package ({@code CARGO_PKG_NAME} of the call), {@link #NONE} when the call
 *     had none (not run by cargo), {@link #UNKNOWN} for a line or record written before kache kept it
 * @param kind lib, bin, proc-macro, build-script, test or another crate type; {@link #NONE} when the
 *     call named no crate type, {@link #UNKNOWN} when not recorded
 */
public record CargoUnit(String packageName, String kind) {

    /** A value a record written by an older kache did not keep. */
    public static final String UNKNOWN = "?";
    /** A value the call did not have. */
    public static final String NONE = "-";
    /** The unit of a line or record that did not keep one. */
    public static final CargoUnit UNKNOWN_UNIT = new CargoUnit(UNKNOWN, UNKNOWN);

    public CargoUnit {
        packageName = oneWord(packageName);
        kind = oneWord(kind);
    }

    /** The unit of {@code call}, given the call's own environment (cargo sets {@code CARGO_PKG_NAME} there). */
    public static CargoUnit of(RustcCall call, Map<String, String> callEnv) {
        return new CargoUnit(callEnv.get("CARGO_PKG_NAME"), kind(call));
    }

    /** Whether the package is known (recorded, and the call had one). */
    public boolean packageKnown() {
        return !packageName.equals(UNKNOWN) && !packageName.equals(NONE);
    }

    /** Whether the target kind is known (recorded, and the call named a crate type). */
    public boolean kindKnown() {
        return !kind.equals(UNKNOWN) && !kind.equals(NONE);
    }

    /**
     * Whether {@code other} may be this same unit: package and kind each equal, or not recorded on
     * one side (an older kache's record is not ruled out, it cannot be told apart).
     */
    public boolean couldBe(CargoUnit other) {
        return same(packageName, other.packageName) && same(kind, other.kind);
    }

    /** Whether {@code name} names this unit's package: exactly, or with '-' and '_' taken as one (as crate names do). */
    public boolean isPackage(String name) {
        return packageName.equals(name) || packageName.replace('-', '_').equals(name.replace('-', '_'));
    }

    private static boolean same(String a, String b) {
        return a.equals(b) || a.equals(UNKNOWN) || b.equals(UNKNOWN);
    }

    /** The kind of target a call compiles, as cargo would name it. */
    static String kind(RustcCall call) {
        if (call.isTest()) {
            return "test";
        }
        if (call.crateName().startsWith("build_script_")) {
            return "build-script";
        }
        if (call.crateTypes().isEmpty()) {
            return NONE;
        }
        String first = call.crateTypes().first();
        return first.equals("rlib") ? "lib" : first;
    }

    /**
     * One line, one token: it is written into tab-separated and line-based records, and into a file
     * name as UTF-8 (a lone surrogate has none, two would become the same name).
     */
    private static String oneWord(String s) {
        if (s == null || s.isEmpty()) {
            return NONE;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isWhitespace(c) || Character.isISOControl(c)
                || Character.getType(c) == Character.SURROGATE ? '?' : c));
        return b.toString();
    }
}
