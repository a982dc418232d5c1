package io.kache.core.rustc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which linker a call's link arguments tell the C compiler driver ({@code cc}, gcc or clang) to
 * run: {@code -fuse-ld=NAME} makes it run {@code ld.NAME} ({@code bfd}, {@code gold}, {@code lld},
 * {@code mold}), {@code -fuse-ld=/path} (clang) and {@code --ld-path=PATH} (clang, before
 * {@code -fuse-ld}) name the program, and {@code -B PREFIX} puts a directory before the driver's own
 * where it looks for it, {@code ld} included ({@code -B/usr/libexec/mold}, mold's recipe for an
 * older gcc). The last {@code -fuse-ld} and {@code --ld-path} count, as for the drivers.
 *
 * <p>rustc passes its own {@code -B…/gcc-ld -fuse-ld=lld} before the link args when it links with
 * the toolchain's {@code rust-lld} (the default for x86_64 Linux since 1.90, or
 * {@code -C link-self-contained}, {@code -C linker-flavor}, {@code -Z linker-features}): that program
 * is in the sysroot, known by the toolchain's identity, and those flags are keyed as written. This
 * class sees only what the call passes, so a {@code -fuse-ld=lld} of the call is looked up without
 * rustc's {@code -B}: the key then holds a program the link may not run, which costs sharing, never
 * correctness.
 *
 * <p>Only a C compiler driver reads these ({@link #isDriver}): to a linker run directly
 * ({@code -C linker=ld.lld}, {@code mold}, {@code arm-none-eabi-ld}) {@code -Bsymbolic},
 * {@code -Bstatic} are its own options and there is no program to choose. A driver reads every
 * {@code -B…} as a prefix, {@code -Bstatic} included: gcc 12 answers {@code static/ld} to
 * {@code gcc -Bstatic -print-prog-name=ld} run where a directory {@code static} holds an {@code ld}
 * (the linker's option is {@code -Wl,-Bstatic}), so such an argument is passed to the question as
 * it is.
 *
 * @param program what the driver is asked for: {@code ld.NAME}, {@code ld}, or a path (with a {@code /})
 * @param prefixes the {@code -B} prefixes, in order
 * @param driverArgs the link arguments that change where the driver looks ({@code --target=},
 *     {@code --sysroot=}, {@code --gcc-toolchain=}, {@code -specs=}, {@code --config=},
 *     {@code -no-canonical-prefixes}; clang looks for {@code aarch64-linux-gnu-ld.lld} first with
 *     {@code --target=aarch64-linux-gnu}), in order and as written
 */
public record LinkerChoice(String program, List<String> prefixes, List<String> driverArgs) {

    /**
     * A driver's name: the target prefix ({@code x86_64-linux-gnu-}) and the version suffix
     * ({@code -12}, {@code -18.1}) aside. A wrapper of another name ({@code zigcc-….sh}, a
     * {@code cc-wrap} script) is taken for a linker run directly, keyed as itself, as before choices
     * were read.
     */
    private static final Pattern DRIVER =
            Pattern.compile("(?:.+-)?(?:cc|gcc|clang|c\\+\\+|g\\+\\+|clang\\+\\+)(?:-[0-9]+(?:\\.[0-9]+)*)?");
    /** Options that change the driver's search, joined to their value ({@code --target=x}) or not. */
    private static final List<String> JOINED = List.of("--target=", "--sysroot=", "--gcc-toolchain=", "-specs=",
            "--specs=", "--config=");
    /** The same options spelled with their value as the next argument. */
    private static final List<String> SEPARATE = List.of("-target", "--sysroot", "--config");

    public LinkerChoice {
        prefixes = List.copyOf(prefixes);
        driverArgs = List.copyOf(driverArgs);
    }

    public LinkerChoice(String program, List<String> prefixes) {
        this(program, prefixes, List.of());
    }

    /**
     * Whether a linker is a C compiler driver, by the name it is given or its real file's
     * ({@code cc} is a link to {@code x86_64-linux-gnu-gcc-12}).
     */
    public static boolean isDriver(String givenName, String realName) {
        return DRIVER.matcher(givenName).matches() || DRIVER.matcher(realName).matches();
    }

    /** Whether the linker given as {@code name} and found at {@code found} is a C compiler driver ({@link #isDriver}). */
    public static boolean isDriver(String name, Path found) throws IOException {
        return isDriver(Path.of(name).getFileName().toString(), found.toRealPath().getFileName().toString());
    }

    /** The choice {@code linkArgs} (the tokens rustc hands the driver: {@link RustcCall#linkArgs}) make, or empty when they make none. */
    public static Optional<LinkerChoice> in(List<String> linkArgs) {
        Optional<String> fuseLd = Optional.empty();
        Optional<String> ldPath = Optional.empty();
        List<String> prefixes = new ArrayList<>();
        List<String> driverArgs = new ArrayList<>();
        for (int i = 0; i < linkArgs.size(); i++) {
            String a = linkArgs.get(i);
            if (a.startsWith("-fuse-ld=")) {
                fuseLd = Optional.of(a.substring("-fuse-ld=".length()));
            } else if (a.startsWith("--ld-path=")) {
                ldPath = Optional.of(a.substring("--ld-path=".length()));
            } else if ((a.equals("-B") || a.equals("--prefix")) && i + 1 < linkArgs.size()) {
                prefixes.add(linkArgs.get(++i));
            } else if (a.startsWith("-B") && a.length() > 2) {
                // As gcc reads it: -Bstatic here is a prefix "static", not the linker's option
                // (that is -Wl,-Bstatic).
                prefixes.add(a.substring(2));
            } else if (a.startsWith("--prefix=")) {
                prefixes.add(a.substring("--prefix=".length()));
            } else if (a.equals("-no-canonical-prefixes") || JOINED.stream().anyMatch(a::startsWith)) {
                driverArgs.add(a);
            } else if (SEPARATE.contains(a) && i + 1 < linkArgs.size()) {
                driverArgs.add(a);
                driverArgs.add(linkArgs.get(++i));
            }
        }
        if (fuseLd.isEmpty() && ldPath.isEmpty() && prefixes.isEmpty()) {
            return Optional.empty();
        }
        String program;
        if (ldPath.isPresent() && !ldPath.get().isEmpty()) {
            program = ldPath.get();
        } else if (fuseLd.isPresent() && fuseLd.get().contains("/")) {
            program = fuseLd.get();
        } else if (fuseLd.isPresent() && !fuseLd.get().isEmpty()) {
            program = "ld." + fuseLd.get();
        } else {
            program = "ld";   // only -B, or an empty -fuse-ld= (clang's default)
        }
        return Optional.of(new LinkerChoice(program, prefixes, driverArgs));
    }

    /** Whether {@link #program} is a path, used as it is, rather than a name the driver looks up. */
    public boolean isPath() {
        return program.contains("/");
    }
}
