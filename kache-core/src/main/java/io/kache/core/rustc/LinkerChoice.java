package io.kache.core.rustc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * @param program what the driver is asked for: {@code ld.NAME}, {@code ld}, or a path (with a {@code /})
 * @param prefixes the {@code -B} prefixes, in order
 */
public record LinkerChoice(String program, List<String> prefixes) {

    public LinkerChoice {
        prefixes = List.copyOf(prefixes);
    }

    /** The choice {@code linkArgs} (the tokens rustc hands the driver: {@link RustcCall#linkArgs}) make, or empty when they make none. */
    public static Optional<LinkerChoice> in(List<String> linkArgs) {
        Optional<String> fuseLd = Optional.empty();
        Optional<String> ldPath = Optional.empty();
        List<String> prefixes = new ArrayList<>();
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
        return Optional.of(new LinkerChoice(program, prefixes));
    }

    /** Whether {@link #program} is a path, used as it is, rather than a name the driver looks up. */
    public boolean isPath() {
        return program.contains("/");
    }
}
