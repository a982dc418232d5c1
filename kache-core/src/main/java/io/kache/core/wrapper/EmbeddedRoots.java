package io.kache.core.wrapper;

import io.kache.core.key.InputSet;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.SentinelRoots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds which local directories a compile's outputs contain literally, and which its sources name
 * literally ({@link #namedBySources}). {@code --remap-path-prefix}
 * rewrites the paths rustc itself writes (debuginfo, {@code file!()}, panic locations), but not a
 * string the crate built from a path: {@code env!("CARGO_MANIFEST_DIR")}, {@code env!("OUT_DIR")},
 * {@code concat!} of those, code a build script generated with an absolute path in it, an rpath
 * from {@code -C link-arg}. Such an entry is bound to those directories: see
 * {@link InputSet#roots()}.
 *
 * <p>Plain substring search, no boundary check: bytes around an embedded string are whatever the
 * linker put next to it, and a false match only costs a hit on another checkout, never a wrong
 * artifact. Where directories nest ({@code /tmp}, {@code /tmp/ws}, {@code /tmp/ws/target}), a
 * match belongs to the longest directory found at that position: its value alone fixes those bytes.
 *
 * <p>A separate read of the outputs, on the miss path only (the store's ingest hashes them in a pass
 * of its own, in another package); about 1 GB/s, a small fraction of the compile that produced them.
 */
final class EmbeddedRoots {

    private static final int CHUNK = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SLASHES = 0x2f2f2f2f2f2f2f2fL;
    /** The sentinels of directories whose files no checkout's source can name. */
    private static final Set<String> IMMUTABLE_ROOTS = Set.of(SentinelRoots.CARGO_HOME, SentinelRoots.RUSTUP_HOME);

    private final List<String> names;
    private final List<String> paths;
    private final byte[][] patterns;
    private final int longest;

    /** @param roots sentinel name to local directory, longest directory first ({@link io.kache.core.rustc.PathSentinels#roots()}) */
    EmbeddedRoots(Map<String, String> roots) {
        names = List.copyOf(roots.keySet());
        paths = List.copyOf(roots.values());
        patterns = new byte[names.size()][];
        int max = 1;
        for (int k = 0; k < patterns.length; k++) {
            patterns[k] = paths.get(k).getBytes(StandardCharsets.UTF_8);
            if (patterns[k][0] != '/') {
                throw new IllegalArgumentException("not an absolute directory: " + paths.get(k));
            }
            max = Math.max(max, patterns[k].length);
        }
        longest = max;
    }

    /**
     * The local directories a compile's Rust sources name literally, among those it read absolute
     * paths under: an entry is bound to them. {@code include_str!("/src/app/data.txt")} reads that very
     * path from every checkout, but the key holds it under the checkout's sentinel, as it holds a path
     * derived from the checkout ({@code concat!(env!("CARGO_MANIFEST_DIR"), "/data.txt")}, a path
     * dependency's modules): another checkout hashed its own {@code data.txt} and was served an
     * artifact built from a file it never read, and its restored dep-info named the wrong file. A
     * source that names the directory is taken for a literal; one that names none (the path came
     * from the environment, a proc macro or cargo's arguments) keeps the entry movable.
     *
     * <p>Read on the miss path only, and only when an absolute input lies under a directory that
     * can differ between checkouts: not {@code CARGO_HOME} or {@code RUSTUP_HOME}, whose crates
     * cannot know a checkout's path (every crates.io dependency reads under {@code CARGO_HOME}).
     *
     * @param inputs the dep-info's inputs, as rustc wrote them
     * @param cwd the call's directory, against which relative inputs resolve
     * @param roots sentinel name to local directory, longest directory first ({@link io.kache.core.rustc.PathSentinels#roots()})
     */
    static List<InputSet.BoundRoot> namedBySources(List<String> inputs, Path cwd, Map<String, String> roots)
            throws IOException {
        // A registry crate runs in its own directory under CARGO_HOME: its "ws" root is longer than
        // CARGO_HOME's, so what holds an input decides, not only the longest root.
        List<String> immutable = roots.entrySet().stream().filter(r -> IMMUTABLE_ROOTS.contains(r.getKey()))
                .map(r -> r.getValue() + "/").toList();
        Map<String, String> candidates = new LinkedHashMap<>();
        for (String input : inputs) {
            if (!input.startsWith("/") || immutable.stream().anyMatch(input::startsWith)) {
                continue;
            }
            for (Map.Entry<String, String> r : roots.entrySet()) {
                if (input.startsWith(r.getValue() + "/")) {
                    candidates.put(r.getKey(), r.getValue());
                    break; // the longest directory holding it: the one its sentinel names
                }
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<Path> sources = rustSources(inputs, cwd);
        // In the roots' order, longest first, as the constructor takes them.
        Map<String, String> ordered = new LinkedHashMap<>();
        roots.forEach((name, dir) -> {
            if (candidates.containsKey(name)) {
                ordered.put(name, dir);
            }
        });
        return new EmbeddedRoots(ordered).find(sources);
    }

    /**
     * The local directories a compile's printed text (its diagnostics and a proc macro's prints, kept
     * with sentinels) names where its Rust sources name them literally too: an entry is bound to them.
     * A diagnostic quotes the source (a snippet, a suggestion's replacement), and a path written in the
     * source is then text, not a path rustc wrote: replayed in another checkout, its sentinel would
     * become that checkout's path, and a tool applying the suggestion would write another string than
     * the source holds. A directory printed that no source names (a dependency's location, a file in
     * {@code OUT_DIR}) keeps the entry movable. Read on the miss path only, and only when the text
     * names a directory that can differ between checkouts.
     *
     * @param printed the call's stdout and diagnostics, normalized to sentinels
     * @param inputs the dep-info's inputs, as rustc wrote them
     * @param cwd the call's directory, against which relative inputs resolve
     * @param roots sentinel name to local directory, longest directory first
     */
    static List<InputSet.BoundRoot> quotedFromSources(String printed, List<String> inputs, Path cwd,
                                                      Map<String, String> roots) throws IOException {
        if (!printed.contains(PathSentinels.SENTINEL_ROOT + "/")) {
            return List.of();
        }
        Map<String, String> candidates = new LinkedHashMap<>();
        roots.forEach((name, dir) -> {
            if (!IMMUTABLE_ROOTS.contains(name)
                    && printed.contains(PathSentinels.SENTINEL_ROOT + "/" + name)) {
                candidates.put(name, dir);
            }
        });
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<Path> sources = rustSources(inputs, cwd);
        return new EmbeddedRoots(candidates).find(sources);
    }

    /** The Rust source files among a dep-info's inputs that are there. */
    private static List<Path> rustSources(List<String> inputs, Path cwd) {
        List<Path> sources = new ArrayList<>();
        for (String input : inputs) {
            Path file = cwd.resolve(input);
            if (input.endsWith(".rs") && Files.isRegularFile(file)) {
                sources.add(file);
            }
        }
        return sources;
    }

    /** The directories that occur in any of {@code files}, with their local values. */
    List<InputSet.BoundRoot> find(List<Path> files) throws IOException {
        boolean[] found = new boolean[patterns.length];
        for (Path f : files) {
            if (scan(f, found)) {
                break;
            }
        }
        List<InputSet.BoundRoot> out = new ArrayList<>();
        for (int k = 0; k < found.length; k++) {
            if (found[k]) {
                out.add(new InputSet.BoundRoot(names.get(k), paths.get(k)));
            }
        }
        return out;
    }

    /** Marks what {@code file} holds; whether every directory has been found. */
    private boolean scan(Path file, boolean[] found) throws IOException {
        if (patterns.length == 0) {
            return true;
        }
        byte[] buf = new byte[CHUNK + longest];
        int filled = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int n = in.readNBytes(buf, filled, buf.length - filled);
                boolean last = n == 0 || filled + n < buf.length;
                filled += n;
                // Positions whose longest pattern could run past the bytes read wait for the next chunk.
                int end = last ? filled : filled - (longest - 1);
                if (search(buf, end, filled, found)) {
                    return true;
                }
                if (last) {
                    return false;
                }
                System.arraycopy(buf, end, buf, 0, filled - end);
                filled -= end;
            }
        }
    }

    /** Searches the starts {@code [0, end)} of {@code buf[0, limit)}; whether all are found. */
    private boolean search(byte[] buf, int end, int limit, boolean[] found) {
        int i = 0;
        // Every directory is absolute, so only a '/' can start one, and '/' is rare in binaries:
        // skip eight bytes at a time while none of them is a '/' (five times the speed of a byte
        // loop in the wrapper's C1-only JVM).
        while (i + Long.BYTES <= end) {
            long x = (long) LONGS.get(buf, i) ^ SLASHES;
            if (((x - ONES) & ~x & HIGHS) != 0) {
                for (int j = i; j < i + Long.BYTES; j++) {
                    if (buf[j] == '/' && matchAt(buf, j, limit, found)) {
                        return true;
                    }
                }
            }
            i += Long.BYTES;
        }
        for (; i < end; i++) {
            if (buf[i] == '/' && matchAt(buf, i, limit, found)) {
                return true;
            }
        }
        return false;
    }

    /** Marks the longest directory at {@code at}, if any; whether all are found. */
    private boolean matchAt(byte[] buf, int at, int limit, boolean[] found) {
        for (int k = 0; k < patterns.length; k++) {
            if (matchesAt(buf, at, limit, patterns[k])) {
                if (!found[k]) {
                    found[k] = true;
                    return all(found);
                }
                return false;
            }
        }
        return false;
    }

    private static boolean matchesAt(byte[] buf, int at, int limit, byte[] pattern) {
        if (at + pattern.length > limit) {
            return false;
        }
        for (int j = 0; j < pattern.length; j++) {
            if (buf[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean all(boolean[] found) {
        for (boolean f : found) {
            if (!f) {
                return false;
            }
        }
        return true;
    }
}
