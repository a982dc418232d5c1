package io.kache.core.key;

import io.kache.core.rustc.RustcCall;
import java.io.File;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The native files rustc or the linker may read for a call besides its sources and externs, keyed
 * by content. They are in no dep-info, and a changed C library must never restore a program linked
 * against the old one.
 *
 * <ul>
 *   <li>Every regular file directly in each {@code -L native=}, {@code -L all=}, {@code -L framework=}
 *       and plain {@code -L} directory. rustc finds {@code #[link(kind = "static")]} libraries there
 *       with no {@code -l} in the call, the final link finds {@code -bundle} libraries of dependencies
 *       there, and the linker resolves {@code -l}, {@code -l:verbatim} and linker scripts named like
 *       libraries there. All files, not only {@code lib*.a}/{@code lib*.so}: verbatim names and linker
 *       scripts may be called anything. Not recursive: neither rustc nor the linker descends.</li>
 *   <li>Every file named by a {@code -C link-arg(s)} / {@code -Z pre-link-arg(s)} token: objects,
 *       archives, linker scripts ({@code -T FILE}, {@code --script=FILE}, {@code -Wl,-T,FILE}), response
 *       files ({@code @FILE}); and directories given there with {@code -L}, scanned as above.</li>
 *   <li>For a call that runs the linker, every regular file directly in each directory of the call's
 *       {@code LIBRARY_PATH}, which the C compiler driver searches like {@code -L} directories (its
 *       value is keyed too, by {@link CacheKeyRecipe}).</li>
 * </ul>
 *
 * <p>Those are for calls that emit {@code link}: a {@code --emit=metadata} call ({@code cargo check},
 * clippy) neither bundles a native library nor links. For every call, every regular file directly
 * in each {@code -L crate=}, {@code -L all=} and plain {@code -L} directory, where rustc finds the
 * crates no {@code --extern} names by path ({@code extern crate x;}). Not scanned:
 * {@code -L dependency=} (cargo's {@code deps/}), whose crates are each keyed through
 * {@code --extern} and, transitively, through the hashes recorded in their dependents; the sysroot,
 * keyed by the toolchain's identity; the linker's default system directories, which kache does not
 * key at all (see the README's limits).
 *
 * <p>Cost: a stat per file and a lookup in the store's memoized hasher, so an unchanged library is
 * read once per machine, not once per call. Build-script output directories hold a handful of files.
 * A directory above {@link #MAX_DIR_FILES} files or {@link #MAX_DIR_BYTES} bytes is nearly always a
 * system directory added through {@code RUSTFLAGS} (say {@code -L /usr/lib}): keying only the files
 * that look like libraries would miss verbatim names and linker scripts, and keying it all would cost
 * every call thousands of stats, so such a call runs rustc unchanged and says why
 * ({@link UncacheableCallException}, counted in {@code kache stats}).
 */
final class LinkInputs {

    /** More regular files than this in one native directory: not keyed, the call passes through. */
    static final int MAX_DIR_FILES = 512;
    /** More bytes than this in one native directory: not keyed, the call passes through. */
    static final long MAX_DIR_BYTES = 1L << 30;
    static final String TOO_LARGE = "native search dir too large to key";

    private final KeyContext ctx;
    private final KeyHasher h;
    private final Set<Path> scanned = new HashSet<>();

    private LinkInputs(KeyContext ctx, KeyHasher h) {
        this.ctx = ctx;
        this.h = h;
    }

    /** Adds the call's native inputs to {@code h}; see the class comment. */
    static void hashInto(RustcCall call, KeyContext ctx, KeyHasher h) throws IOException {
        LinkInputs inputs = new LinkInputs(ctx, h);
        // Crates found by search, for every call: a check reads their metadata as a build does.
        for (String dir : call.crateSearchDirs()) {
            inputs.directory(dir);
        }
        if (!call.emitKinds().contains("link")) {
            return; // metadata and dep-info only (cargo check, clippy): nothing is linked or bundled
        }
        for (String dir : call.nativeSearchDirs()) {
            inputs.directory(dir);
        }
        if (call.links()) {
            // The C compiler driver that links searches LIBRARY_PATH as it searches -L directories.
            for (String dir : libraryPath(ctx)) {
                inputs.directory(dir);
            }
        }
        List<String> args = call.linkArgs();
        String previous = "";
        for (String token : args) {
            List<String> parts = token.startsWith("-Wl,") ? List.of(token.substring(4).split(",")) : List.of(token);
            for (String part : parts) {
                inputs.linkerToken(part, previous);
                previous = part;
            }
        }
    }

    /** The directories of the call's {@code LIBRARY_PATH}, in order; an empty element is the working directory, as for gcc. */
    private static List<String> libraryPath(KeyContext ctx) {
        String value = ctx.env().get("LIBRARY_PATH");
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(":", -1)).map(d -> d.isEmpty() ? "." : d).toList();
    }

    private void linkerToken(String token, String previous) throws IOException {
        boolean searchDir = previous.equals("-L") || previous.equals("--library-path");
        List<String> candidates = new ArrayList<>(3);
        candidates.add(token);
        if (token.startsWith("@")) {
            candidates.add(token.substring(1));
        }
        int eq = token.indexOf('=');
        if (token.startsWith("-") && eq > 0) {
            candidates.add(token.substring(eq + 1));
            searchDir |= token.startsWith("--library-path=");
        }
        if ((token.startsWith("-T") || token.startsWith("-L")) && token.length() > 2) {
            candidates.add(token.substring(2));
            searchDir |= token.startsWith("-L");
        }
        for (String candidate : candidates) {
            Path path = resolve(candidate);
            if (path == null) {
                continue;
            }
            File f = path.toFile();
            if (f.isFile()) {
                h.field("link-file", ctx.normalizedPath(candidate)).field("sha256", ctx.hasher().sha256(path));
            } else if (searchDir && f.isDirectory()) {
                directory(candidate);
            }
        }
    }

    private void directory(String dir) throws IOException {
        Path path = resolve(dir);
        if (path == null || !scanned.add(path)) {
            return;
        }
        h.field("native-dir", ctx.normalizedPath(dir));
        // java.io: a missing directory (cargo names OUT_DIRs before they hold anything) is a null, not a thrown exception.
        File[] entries = path.toFile().listFiles();
        if (entries == null) {
            return;
        }
        Arrays.sort(entries);
        List<File> files = new ArrayList<>(entries.length);
        long bytes = 0;
        for (File f : entries) {
            if (f.isFile()) {
                files.add(f);
                bytes += f.length();
            }
        }
        if (files.size() > MAX_DIR_FILES || bytes > MAX_DIR_BYTES) {
            throw new UncacheableCallException(TOO_LARGE, path + " holds " + files.size() + " files, " + bytes
                    + " bytes (keyed up to " + MAX_DIR_FILES + " files, " + MAX_DIR_BYTES + " bytes)");
        }
        for (File f : files) {
            h.field("native-file", f.getName()).field("sha256", ctx.hasher().sha256(f.toPath()));
        }
    }

    private Path resolve(String path) {
        if (path.isEmpty()) {
            return null;
        }
        try {
            return ctx.resolve(path);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
