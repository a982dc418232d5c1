package io.kache.core.key;

import io.kache.core.rustc.Executables;
import io.kache.core.rustc.LinkerChoice;
import io.kache.core.rustc.RustcCall;
import java.io.File;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
 *       scripts may be called anything. Subdirectories are not listed: only a name with a directory
 *       part descends, and those are keyed one by one (next point). ld applies every {@code -L} to
 *       every name it looks up, wherever each stands: a name is looked up in the directories given
 *       after it too.</li>
 *   <li>For each {@code -l} whose name has a directory part ({@code static:+verbatim=sub/libx.a}), the
 *       file it names under each search directory, by content where it exists and as absent where it
 *       does not (one created later is another key).</li>
 *   <li>Every file named by a {@code -C link-arg(s)} / {@code -Z pre-link-arg(s)} token (as the linker
 *       gets it: {@code -Wl,A,B} and {@code -Xlinker A} are A and B): objects, archives, linker scripts
 *       ({@code -T FILE}, {@code --script=FILE}, {@code -Wl,-T,FILE}), response files ({@code @FILE});
 *       directories given there with {@code -L}, scanned as above, under the linker's
 *       {@code --sysroot} for {@code -L=DIR} and {@code $SYSROOT}; and, for a call linking through a C
 *       compiler driver, each {@code -B DIR} prefix, a library directory too, scanned with its
 *       subdirectories two levels down (the driver adds {@code DIR/TRIPLE/VERSION/}).</li>
 *   <li>For a call that runs the linker, the linker plugin {@code -C linker-plugin-lto=PATH} names.</li>
 *   <li>For a call that runs the linker, every regular file directly in each directory of the call's
 *       {@code LIBRARY_PATH}, which the C compiler driver searches like {@code -L} directories (its
 *       value is keyed too, by {@link CacheKeyRecipe}).</li>
 *   <li>What the linker reads through those files ({@link LinkerText}): a keyed file that is text, not
 *       an ELF object or an archive, is a response file (when named by {@code @}) or a linker script
 *       (glibc's {@code libc.so} is one). The files it names are keyed the same way, by content or as
 *       absent, searched where the linker searches (the call's directory, the script's, the search
 *       directories), down to {@link #MAX_DEPTH} files deep. A deeper chain, a text file over
 *       {@link #MAX_TEXT_BYTES} or a thin archive (whose members are files elsewhere) is not keyed:
 *       the call passes through.</li>
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
 * <p>The files and directories read are remembered, and the paths looked at where none was
 * ({@link #paths()}): they are hashed before rustc runs, so the
 * entry is stored only if none of them changed while it ran, and none appeared where none was.
 *
 * <p>Cost: a stat per file and a lookup in the store's memoized hasher, so an unchanged library is
 * read once per machine, not once per call; whether a file is text, and what a text file names, is
 * remembered by content hash. Build-script output directories hold a handful of files.
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
    /**
     * A text link input larger than this is not read for the files it names: the call passes through.
     * Above the 1 MiB a script needs, since bindgen's output often lies in a build script's
     * {@code OUT_DIR} beside the library it links.
     */
    static final long MAX_TEXT_BYTES = 8L << 20;
    /** How many response files or linker scripts deep the names are followed. */
    static final int MAX_DEPTH = 4;
    static final String TEXT_TOO_LARGE = "linker script or response file too large to key";
    static final String TOO_DEEP = "linker scripts or response files nested too deep to key";
    static final String THIN_ARCHIVE = "thin archive among the link inputs";

    private final KeyContext ctx;
    private final KeyHasher h;
    private final RustcCall call;
    /** Whether the call links through a C compiler driver, asked at the first {@code -B}: only a driver reads one. */
    private Boolean linksThroughADriver;
    private final Set<Path> scanned = new HashSet<>();
    private final Set<Path> peeked = new HashSet<>();
    private final Set<Path> keyed = new HashSet<>();
    private final List<Path> read = new ArrayList<>();
    private final Set<Path> noFile = new LinkedHashSet<>();
    private final Set<Path> noDirectory = new LinkedHashSet<>();
    /** The linker's search directories as given, in order: {@code -L} of the call and the link args, LIBRARY_PATH, SEARCH_DIR. */
    private final List<String> searchDirs = new ArrayList<>();
    private final Deque<Text> texts = new ArrayDeque<>();
    /**
     * The names looked up below every search directory, the ones added later included: ld applies
     * every {@code -L} to every {@code -l} and {@code -T}, wherever each stands on the command line.
     */
    private final List<Searched> searched = new ArrayList<>();
    /** The linker's sysroot, which a search directory or script name starting with {@code =} is under. */
    private String sysroot = "/";

    /** A file name looked up below each search directory; {@code depth} files named it. */
    private record Searched(String name, int depth) {
    }

    /** One token as the linker gets it; {@code driver}: given to the C compiler driver, not passed on by it. */
    private record LinkerToken(String text, boolean driver) {
    }

    /** A text input to read for the files it names; {@code depth} files named it, one after the other. */
    private record Text(Path path, boolean response, int depth) {
    }

    private LinkInputs(RustcCall call, KeyContext ctx, KeyHasher h) {
        this.call = call;
        this.ctx = ctx;
        this.h = h;
    }

    /** Adds the call's native inputs to {@code h}; see the class comment. */
    static LinkInputs hashInto(RustcCall call, KeyContext ctx, KeyHasher h) throws IOException {
        LinkInputs inputs = new LinkInputs(call, ctx, h);
        // Crates found by search, for every call: a check reads their metadata as a build does.
        for (String dir : call.crateSearchDirs()) {
            inputs.directory(dir, false);
        }
        if (!call.emitKinds().contains("link")) {
            return inputs; // metadata and dep-info only (cargo check, clippy): nothing is linked or bundled
        }
        for (String dir : call.nativeSearchDirs()) {
            inputs.searchDir(dir);
        }
        if (call.links()) {
            // The C compiler driver that links searches LIBRARY_PATH as it searches -L directories.
            for (String dir : libraryPath(ctx)) {
                inputs.searchDir(dir);
            }
        }
        inputs.linkerTokens(call.linkArgs(), 0);
        if (call.links()) {
            // A linker plugin given by path (-C linker-plugin-lto=/…/LLVMgold.so) generates the program's code.
            for (String arg : call.keyArgs()) {
                if (arg.startsWith("-Clinker-plugin-lto=") && arg.contains("/")) {
                    inputs.candidate(arg.substring("-Clinker-plugin-lto=".length()), 0);
                }
            }
        }
        for (String lib : call.nativeLibraries()) {
            inputs.library(lib);
        }
        inputs.readTexts();
        return inputs;
    }

    /**
     * The files and directories read, in the order read; the paths looked at for a file where none was
     * (a library or linker script not there); the search directories that were not there (an
     * {@code OUT_DIR} not made yet).
     */
    ReadPaths paths() {
        return new ReadPaths(read, List.copyOf(noFile), List.copyOf(noDirectory));
    }

    /** The directories of the call's {@code LIBRARY_PATH}, in order; an empty element is the working directory, as for gcc. */
    private static List<String> libraryPath(KeyContext ctx) {
        String value = ctx.env().get("LIBRARY_PATH");
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(":", -1)).map(d -> d.isEmpty() ? "." : d).toList();
    }

    /**
     * A {@code -l} of the call, {@code [KIND[:MODIFIERS]=]NAME[:RENAME]}. A name without a directory
     * part is found directly in a search directory, whose files are all keyed; one with a directory
     * part is looked up below each of them.
     */
    private void library(String value) throws IOException {
        int eq = value.indexOf('=');
        String spec = eq < 0 ? "" : value.substring(0, eq);
        String name = eq < 0 ? value : value.substring(eq + 1);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf('/', colon) < 0) {
            name = name.substring(0, colon);
        }
        if (!name.contains("/")) {
            return;
        }
        boolean verbatim = List.of(spec.substring(spec.indexOf(':') + 1).split(",")).contains("+verbatim");
        libraryNamed(name, verbatim, 0);
    }

    /** {@code -lNAME} ({@code verbatim}: {@code -l:NAME}) in every search directory, present or absent. */
    private void libraryNamed(String name, boolean verbatim, int depth) throws IOException {
        List<String> files = verbatim ? List.of(name)
                : List.of("lib" + name + ".so", "lib" + name + ".a", "lib" + name + ".dylib", name + ".lib");
        searchedFor(files, depth);
    }

    /** {@code files} below every search directory, those given later included, present or absent. */
    private void searchedFor(List<String> files, int depth) throws IOException {
        List<Searched> fresh = files.stream().map(f -> new Searched(f, depth)).filter(f -> !searched.contains(f)).toList();
        searched.addAll(fresh);
        // Directory by directory, as before names reached the directories given later: the same keys.
        for (String dir : List.copyOf(searchDirs)) {
            for (Searched f : fresh) {
                candidate(dir + "/" + f.name(), depth);
            }
        }
    }

    private void searchDir(String dir) throws IOException {
        String inSysroot = dir.startsWith("=") ? underSysroot(dir.substring(1))
                : dir.startsWith("$SYSROOT") ? underSysroot(dir.substring("$SYSROOT".length())) : dir;
        if (!searchDirs.contains(inSysroot)) {
            searchDirs.add(inSysroot);
            for (Searched s : List.copyOf(searched)) {
                candidate(inSysroot + "/" + s.name(), s.depth());
            }
        }
        directory(inSysroot, true);
    }

    /** {@code path} (absolute or not) under the linker's sysroot. */
    private String underSysroot(String path) {
        return sysroot.endsWith("/") || path.startsWith("/") ? sysroot + path : sysroot + "/" + path;
    }

    private void linkerTokens(List<String> tokens, int depth) throws IOException {
        List<LinkerToken> flat = asTheLinkerGetsThem(tokens);
        for (LinkerToken t : flat) {
            // The last sysroot counts, wherever it stands: ld reads its options before any search.
            if (t.text().startsWith("--sysroot=")) {
                sysroot = t.text().substring("--sysroot=".length());
            }
        }
        String previous = "";
        for (LinkerToken t : flat) {
            if (previous.equals("--sysroot")) {
                sysroot = t.text();
            }
            if (t.driver() && (previous.equals("-B") || t.text().startsWith("-B") && t.text().length() > 2)
                    && linksThroughADriver()) {
                driverPrefix(previous.equals("-B") ? t.text() : t.text().substring(2));
            }
            linkerToken(t.text(), previous, depth);
            previous = t.text();
        }
    }

    /**
     * The tokens as the linker gets them: {@code -Wl,A,B} is A and B, {@code -Xlinker A} is A; the
     * rest as given (to the C compiler driver, which passes most of them on, or to a linker run
     * directly).
     */
    private static List<LinkerToken> asTheLinkerGetsThem(List<String> tokens) {
        List<LinkerToken> flat = new ArrayList<>(tokens.size());
        boolean forLinker = false;
        for (String token : tokens) {
            if (forLinker) {
                flat.add(new LinkerToken(token, false));
                forLinker = false;
            } else if (token.equals("-Xlinker")) {
                forLinker = true;
            } else if (token.startsWith("-Wl,")) {
                for (String part : token.substring(4).split(",")) {
                    flat.add(new LinkerToken(part, false));
                }
            } else {
                flat.add(new LinkerToken(token, true));
            }
        }
        return flat;
    }

    /**
     * {@code -B DIR} to a C compiler driver: besides where it looks for programs (the linker keyed
     * by {@link LinkerIdentity}), where the linker looks for libraries: {@code DIR/},
     * {@code DIR/TRIPLE/} and {@code DIR/TRIPLE/VERSION/}, as {@code gcc -print-search-dirs} shows.
     * Every file in DIR and two levels below is keyed by content (not only the libraries the driver
     * would find: which triple and version it tries is the driver's to say); a prefix that is no
     * directory is nothing to key.
     */
    private void driverPrefix(String prefix) throws IOException {
        Path dir = resolve(prefix);
        if (dir == null || !dir.toFile().isDirectory()) {
            return;
        }
        searchDir(prefix);
        File[] triples = dir.toFile().listFiles(File::isDirectory);
        for (File triple : triples == null ? new File[0] : sorted(triples)) {
            searchDir(triple.getPath());
            File[] versions = triple.listFiles(File::isDirectory);
            for (File version : versions == null ? new File[0] : sorted(versions)) {
                searchDir(version.getPath());
            }
        }
    }

    /**
     * Whether the call links through a C compiler driver ({@code cc}, gcc, clang), which reads
     * {@code -BDIR} as a prefix; a linker run directly reads {@code -Bstatic} as its own option, and
     * a call that does not link runs no linker.
     */
    private boolean linksThroughADriver() {
        if (linksThroughADriver == null) {
            String name = call.linker().orElse("cc");
            linksThroughADriver = call.links() && Executables.find(name, ctx.env(), ctx.cwd()).map(found -> {
                try {
                    return LinkerChoice.isDriver(name, found);
                } catch (IOException e) {
                    return false;
                }
            }).orElse(false);
        }
        return linksThroughADriver;
    }

    private static File[] sorted(File[] files) {
        Arrays.sort(files);
        return files;
    }

    private void linkerToken(String token, String previous, int depth) throws IOException {
        boolean searchDir = previous.equals("-L") || previous.equals("--library-path");
        if (previous.equals("-l") || previous.equals("--library")) {
            lookedUpLibrary(token, depth);
            return;
        }
        if (token.startsWith("-l") && token.length() > 2) {
            lookedUpLibrary(token.substring(2), depth);
            return;
        }
        if (token.startsWith("--library=")) {
            lookedUpLibrary(token.substring("--library=".length()), depth);
            return;
        }
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
        if (searchDir) {
            // -L=DIR, -L$SYSROOT/DIR, --library-path==DIR: under the linker's sysroot, not at DIR.
            String given = previous.equals("-L") || previous.equals("--library-path") ? token
                    : token.startsWith("--library-path=") ? token.substring("--library-path=".length())
                    : token.startsWith("-L") ? token.substring(2) : "";
            if (given.startsWith("=") || given.startsWith("$SYSROOT")) {
                searchDir(given);
                return;
            }
        }
        for (String candidate : candidates) {
            Path path = resolve(candidate);
            if (path == null) {
                continue;
            }
            File f = path.toFile();
            if (f.isFile()) {
                keyFile(path, token.startsWith("@") && candidate.equals(token.substring(1)), depth);
            } else if (searchDir && f.isDirectory()) {
                searchDir(candidate);
            } else {
                // The linker would read a file made there meanwhile, or search a directory.
                noFile.add(path);
                if (searchDir) {
                    noDirectory.add(path);
                }
            }
        }
        String script = previous.equals("-T") || previous.equals("--script") ? token
                : token.startsWith("--script=") ? token.substring("--script=".length())
                : token.startsWith("-T") && token.length() > 2 ? token.substring(2) : null;
        Path inCwd = script == null ? null : resolve(script);
        if (inCwd != null && !script.startsWith("/") && !inCwd.toFile().isFile()) {
            // ld looks for a script not in the working directory in the search directories.
            searchedFor(List.of(script), depth);
        }
    }

    /** A library the linker looks up by {@code -lNAME} or {@code -l:NAME}. */
    private void lookedUpLibrary(String name, int depth) throws IOException {
        boolean verbatim = name.startsWith(":");
        libraryNamed(verbatim ? name.substring(1) : name, verbatim, depth);
    }

    /** A file the linker may open at {@code path}: keyed by content where it is, as absent where it is not. */
    private void candidate(String path, int depth) throws IOException {
        Path p = resolve(path);
        if (p == null) {
            return;
        }
        if (p.toFile().isFile()) {
            keyFile(p, false, depth);
        } else if (keyed.add(p)) {
            h.field("absent", ctx.sentinels().normalize(p.toString()));
            noFile.add(p);
        }
    }

    /** Keys one file by content and, when it is text, queues it to be read for the files it names. */
    private void keyFile(Path path, boolean response, int depth) throws IOException {
        if (!keyed.add(path)) {
            return;
        }
        read.add(path);
        String sha = ctx.hasher().sha256(path);
        h.field("link-file", ctx.sentinels().normalize(path.toString())).field("sha256", sha);
        text(path, sha, response, depth);
    }

    private void text(Path path, String sha, boolean response, int depth) throws IOException {
        switch (LinkerText.kind(path, sha)) {
            case BINARY -> {
            }
            case THIN_ARCHIVE -> throw new UncacheableCallException(THIN_ARCHIVE, path + " is a thin archive");
            case TOO_LARGE -> throw new UncacheableCallException(TEXT_TOO_LARGE, path + " is a text file over "
                    + MAX_TEXT_BYTES + " bytes");
            case TEXT -> {
                if (depth >= MAX_DEPTH) {
                    throw new UncacheableCallException(TOO_DEEP, path + " is named through " + depth
                            + " response files or linker scripts (followed up to " + MAX_DEPTH + ")");
                }
                texts.add(new Text(path, response, depth));
            }
        }
    }

    /** Reads each queued text input for the files it names, and those in their turn. */
    private void readTexts() throws IOException {
        while (!texts.isEmpty()) {
            Text t = texts.poll();
            String sha = ctx.hasher().sha256(t.path());
            if (t.response()) {
                linkerTokens(LinkerText.responseTokens(t.path(), sha), t.depth() + 1);
                continue;
            }
            String scriptDir = t.path().getParent() == null ? "/" : t.path().getParent().toString();
            for (LinkerText.Name n : LinkerText.scriptNames(t.path(), sha)) {
                String name = n.name();
                switch (n.kind()) {
                    case SEARCH_DIR -> searchDir(name);
                    case LIBRARY -> lookedUpLibrary(name, t.depth() + 1);
                    case FILE -> {
                        // A sysroot-relative name (=/usr/lib/x) is under the linker's sysroot.
                        String file = name.startsWith("=") ? underSysroot(name.substring(1)) : name;
                        if (file.startsWith("/")) {
                            candidate(file, t.depth() + 1);
                            continue;
                        }
                        // ld: the working directory first, then the search path; the script's own directory too.
                        candidate(file, t.depth() + 1);
                        candidate(scriptDir + "/" + file, t.depth() + 1);
                        searchedFor(List.of(file), t.depth() + 1);
                    }
                }
            }
        }
    }

    /**
     * Keys the regular files directly in {@code dir} ({@code native}: where the linker searches, so
     * a text file there may be a linker script named like a library, and is read as one).
     */
    private void directory(String dir, boolean nativeDir) throws IOException {
        Path path = resolve(dir);
        if (path == null) {
            return;
        }
        boolean hash = scanned.add(path);
        boolean peek = nativeDir && peeked.add(path);
        if (!hash && !peek) {
            return;
        }
        if (hash) {
            h.field("native-dir", ctx.normalizedPath(dir));
        }
        // java.io: a missing directory (cargo names OUT_DIRs before they hold anything) is a null, not a thrown exception.
        File[] entries = path.toFile().listFiles();
        if (entries == null) {
            if (hash) {
                noDirectory.add(path);
            }
            return;
        }
        if (hash) {
            read.add(path);   // a file added or removed meanwhile moves its times
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
            Path file = f.toPath();
            String sha = ctx.hasher().sha256(file);
            if (hash) {
                h.field("native-file", f.getName()).field("sha256", sha);
                read.add(file);
            }
            if (peek && keyed.add(file)) {
                text(file, sha, false, 0);
            }
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
