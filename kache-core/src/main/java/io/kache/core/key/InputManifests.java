package io.kache.core.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Remembers, per call key, which input sets led to which entry keys (ccache's "direct mode"). A
 * hit then needs only hashes of files kache already knows, not a dep-info run of rustc.
 *
 * <p>One small file per call key; rewritten whole through a temp file and an atomic rename, so a
 * reader sees the old or the new list, never a torn one. Callers hold the call key's lock while
 * recording. At most {@value #MAX_CANDIDATES} input sets are kept, most recently used first: a
 * recorded candidate goes to the front, and so does a matching one that was not first already, so
 * a tree switching between a few variants keeps the one it uses most instead of the eight last
 * recorded.
 *
 * <p>That promotion happens on the hit path without the call key's lock (taking it would cost every
 * hit): the list is read again just before it is rewritten, so the window in which a candidate
 * recorded meanwhile can be lost is the rewrite itself, and losing one only costs a compile. A
 * candidate already first is never rewritten, so the steady state of a hit writes nothing.
 */
public final class InputManifests {

    static final int MAX_CANDIDATES = 8;
    private static final String FORMAT_NAME = "kache-manifest ";
    private static final String HEADER = FORMAT_NAME + "1";
    private static final String TEMP_PREFIX = ".manifest-";

    private final Path dir;

    public InputManifests(Path dir) {
        this.dir = dir;
    }

    /** The manifests kept beside the local store at {@code storeRoot}. */
    public static InputManifests ofStore(Path storeRoot) {
        return new InputManifests(storeRoot.resolve("manifests"));
    }

    /** A remembered input set and the entry key it produced. */
    public record Candidate(String entryKey, InputSet inputs) {
    }

    /** The candidates for {@code callKey}, newest first; empty when none or unreadable. */
    public List<Candidate> candidates(String callKey) {
        Path file = fileFor(callKey);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
        return parse(text);
    }

    /** The first candidate whose inputs still match this call, if any, moved to the front if it was not there. */
    public Optional<String> match(String callKey, KeyContext ctx) throws IOException {
        List<Candidate> list = candidates(callKey);
        for (int i = 0; i < list.size(); i++) {
            Candidate c = list.get(i);
            if (InputScanner.stillMatches(c.inputs(), ctx)) {
                if (i > 0) {
                    promote(callKey, c.entryKey());
                }
                return Optional.of(c.entryKey());
            }
        }
        return Optional.empty();
    }

    /** Moves the candidate of {@code entryKey} to the front; best effort, see the class comment. */
    private void promote(String callKey, String entryKey) {
        List<Candidate> now = candidates(callKey);
        if (now.isEmpty() || now.get(0).entryKey().equals(entryKey)) {
            return;
        }
        List<Candidate> reordered = new ArrayList<>(now.size());
        for (Candidate c : now) {
            if (c.entryKey().equals(entryKey)) {
                reordered.add(0, c);
            } else {
                reordered.add(c);
            }
        }
        if (!reordered.get(0).entryKey().equals(entryKey)) {
            return; // dropped meanwhile by a writer: its list stands
        }
        try {
            write(fileFor(callKey), reordered);
        } catch (IOException | RuntimeException e) {
            // The order is an optimisation: the worst outcome of not promoting is a later recompile.
        }
    }

    /** Records {@code candidate} as the newest for {@code callKey}. */
    public void record(String callKey, Candidate candidate) throws IOException {
        Path file = fileFor(callKey);
        List<Candidate> list = new ArrayList<>();
        list.add(candidate);
        // java.io's stat first: a pull records call keys never seen here, and reading a missing
        // file costs a thrown exception (as do Files.isDirectory and createDirectories below).
        for (Candidate c : file.toFile().isFile() ? candidates(callKey) : List.<Candidate>of()) {
            if (!c.entryKey().equals(candidate.entryKey()) && list.size() < MAX_CANDIDATES) {
                list.add(c);
            }
        }
        write(file, list);
    }

    /** Replaces {@code file} with {@code list}, through a temp file and an atomic rename. */
    private static void write(Path file, List<Candidate> list) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Candidate c : list) {
            sb.append("entry ").append(c.entryKey()).append('\n').append(c.inputs().encode()).append("end\n");
        }
        if (!file.getParent().toFile().isDirectory()) {
            Files.createDirectories(file.getParent());
        }
        // A unique name in the same directory, created and written with one open.
        Path tmp = file.resolveSibling(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(tmp, sb.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw e; // another writer's temp file: not this call's to remove
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * What {@link #prune} removed.
     *
     * @param callKeys call keys forgotten, because no entry they led to is left
     * @param tempFiles temp files that writers killed mid-write left
     */
    public record Pruned(int callKeys, int tempFiles) {
    }

    /**
     * Forgets call keys none of whose candidates names an entry still in the store, and deletes
     * temp files of killed writers; best effort, see {@link InputManifestPruner}.
     *
     * @param present whether the store has an entry of this cache key (unpacked or as a pulled pack)
     * @param listedAt when the list behind {@code present} began; call keys recorded around or
     *     after it are kept
     */
    public Pruned prune(Predicate<String> present, Instant listedAt) {
        return new InputManifestPruner(dir, present, listedAt).prune();
    }

    /** Whether {@code text} is in this format's version; another version is another kache's to judge. */
    static boolean isCurrentFormat(String text) {
        return text.startsWith(HEADER + "\n");
    }

    /** Whether {@code text} claims to be an input manifest of some version. */
    static boolean isAnyFormat(String text) {
        return text.startsWith(FORMAT_NAME);
    }

    /** Whether {@code name} is a temp file of {@link #record}. */
    static boolean isTempName(String name) {
        return name.startsWith(TEMP_PREFIX);
    }

    private Path fileFor(String callKey) {
        return dir.resolve(callKey.substring(0, 2)).resolve(callKey);
    }

    static List<Candidate> parse(String text) {
        List<Candidate> out = new ArrayList<>();
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            return out;
        }
        String entry = null;
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("entry ")) {
                entry = line.substring(6);
                body.setLength(0);
            } else if (line.equals("end") && entry != null) {
                try {
                    out.add(new Candidate(entry, InputSet.decode(body.toString())));
                } catch (IllegalArgumentException e) {
                    // A damaged candidate is skipped: the worst outcome is a recompile.
                }
                entry = null;
            } else if (entry != null) {
                body.append(line).append('\n');
            }
        }
        return out;
    }
}
