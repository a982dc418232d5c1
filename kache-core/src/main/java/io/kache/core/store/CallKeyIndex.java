package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.InputScanner;
import io.kache.core.key.InputSet;
import io.kache.core.key.KeyContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The call-key index: per call key, which input sets led to which entry keys (ccache's "manifest",
 * its "direct mode"). A hit then needs only hashes of files kache already knows, not a dep-info run
 * of rustc. The store keeps it in step with its entries: importing a pack records the entry here
 * ({@link LocalStore#importPack}); a compile records what it stored.
 *
 * <p>One small file per call key under {@code manifests/} (the directory keeps the name it had
 * before the index had its own; the format header too); rewritten whole through a temp file and
 * an atomic rename ({@link StoreLayout#writeAtomically}), so a reader sees the old or the new list,
 * never a torn one. Callers hold the call key's lock while
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
public final class CallKeyIndex {

    /** How many input sets a call key keeps. */
    public static final int MAX_CANDIDATES = 8;
    /** The entry attribute naming the call key an entry was compiled for. */
    public static final String CALL_KEY_ATTRIBUTE = "call-key";
    /** The entry attribute holding the encoded {@link InputSet}: lets an imported entry be indexed. */
    public static final String INPUTS_ATTRIBUTE = "inputs";
    /** {@link #prune} keeps a file modified this shortly before the list of entries: file times and {@code Instant.now()} may disagree by this much. */
    public static final Duration PRUNE_MARGIN = Duration.ofMinutes(10);
    /** {@link #prune} deletes a temp file this old: its writer died, recording takes milliseconds. */
    public static final Duration STALE_TEMP = Duration.ofDays(1);
    private static final String FORMAT_NAME = "kache-manifest ";
    private static final String HEADER = FORMAT_NAME + "1";
    /** Temp files of earlier versions, written beside the index file; see {@link CallKeyIndexPruner}. */
    private static final String TEMP_PREFIX = ".manifest-";

    private final StoreLayout layout;
    private final Path dir;

    CallKeyIndex(StoreLayout layout) {
        this.layout = layout;
        this.dir = layout.callKeysDir();
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

    /**
     * Records an entry brought in from elsewhere (a pull, a read-through) exactly as if this
     * machine had compiled it: under the call key and with the inputs its attributes name. An entry
     * whose call key and inputs do not hash to its own key is not recorded; it stays reachable by
     * key only.
     *
     * @return whether a build can now find the entry through its call key
     */
    boolean recordImported(EntryManifest entry) throws IOException {
        ArtifactKey key = entry.key();
        String callKey = entry.attributes().get(CALL_KEY_ATTRIBUTE);
        String inputs = entry.attributes().get(INPUTS_ATTRIBUTE);
        if (callKey == null || inputs == null || !ArtifactKey.isValidCacheKey(callKey)) {
            return false;
        }
        InputSet set;
        try {
            set = InputSet.decode(inputs);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!CacheKeyRecipe.entryKey(callKey, set).equals(key.cacheKey())) {
            LoggerFactory.getLogger(CallKeyIndex.class).warn(
                    "kache: entry {} records inputs that do not match its key; not indexed", key);
            return false;
        }
        record(callKey, new Candidate(key.cacheKey(), set));
        return true;
    }

    /** Replaces {@code file} with {@code list}, atomically. */
    private void write(Path file, List<Candidate> list) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Candidate c : list) {
            sb.append("entry ").append(c.entryKey()).append('\n').append(c.inputs().encode()).append("end\n");
        }
        layout.writeAtomically(file, sb);
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
     * temp files killed writers left; best effort, see {@link CallKeyIndexPruner}.
     *
     * @param present whether the store has an entry of this cache key (unpacked or as a pulled pack)
     * @param listedAt when the list behind {@code present} began; call keys recorded around or
     *     after it are kept
     */
    public Pruned prune(Predicate<String> present, Instant listedAt) {
        return new CallKeyIndexPruner(dir, present, listedAt).prune();
    }

    /** Whether {@code text} is in this format's version; another version is another kache's to judge. */
    static boolean isCurrentFormat(String text) {
        return text.startsWith(HEADER + "\n");
    }

    /** Whether {@code text} claims to be a call-key index file of some version. */
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
