package io.kache.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code rustc} that logs every real compilation (calls with {@code --crate-name}, not probes
 * and not kache's dep-info pre-pass)
 * and then runs the real compiler. Passed to cargo as {@code RUSTC}, it shows which crates kache
 * let through to the compiler: a hit never reaches it. Shared by the cargo end-to-end tests and
 * kache-core's own wrapper tests.
 */
public final class SpyRustc {

    private final Path script;
    private final Path log;

    private SpyRustc(Path script, Path log) {
        this.script = script;
        this.log = log;
    }

    public static SpyRustc create(Path dir) throws IOException, InterruptedException {
        return create(dir, "rustc");
    }

    /** A spy called {@code name}: kache must know it for rustc by what it answers, not by its name. */
    public static SpyRustc create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve("compiles.log");
        Path script = dir.resolve(name);
        String real = realRustc();
        // kache's dep-info pre-pass (--emit=dep-info alone) reads sources but compiles nothing.
        String text = "#!/bin/sh\n"
                + "prev=''; crate=''\n"
                + "for a in \"$@\"; do\n"
                + "  if [ \"$prev\" = '--crate-name' ] && [ \"$a\" != '___' ]; then crate=\"$a\"; fi\n"
                + "  if [ \"$a\" = '--emit=dep-info' ]; then crate=''; break; fi\n"
                + "  prev=\"$a\"\n"
                + "done\n"
                // The log beside the script, named by $0: two spies (two machines' compilers) are the
                // same file wherever they are, as two machines' rustc are, and kache keys a script's content.
                + "if [ -n \"$crate\" ]; then echo \"$crate\" >> \"${0%/*}/compiles.log\"; fi\n"
                + "exec '" + real + "' \"$@\"\n";
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new SpyRustc(script, log);
    }

    public Path path() {
        return script;
    }

    /** The crate names compiled since the last call, and forgets them. */
    public List<String> takeCompiled() throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        Files.delete(log);
        lines.sort(null);
        return lines;
    }

    /** The toolchain's rustc binary itself (not a rustup proxy). */
    public static String realRustc() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("rustc", "--print", "sysroot").redirectErrorStream(true).start();
        String sysroot = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("rustc --print sysroot failed: " + sysroot);
        }
        return sysroot + "/bin/rustc";
    }
}
