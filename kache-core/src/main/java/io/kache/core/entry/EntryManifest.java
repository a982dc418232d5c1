package io.kache.core.entry;

import io.kache.api.ArtifactKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one cache entry holds: the output files of one rustc call (by content hash), the
 * compiler's captured stdout and stderr so a hit can replay diagnostics, free-form attributes
 * from the wrapper, and the other renderings of those diagnostics that later calls with other
 * diagnostic flags printed ({@link Rendering}; at most {@link #MAX_RENDERINGS}, newest last).
 * The files never change when a rendering is added: renderings are text only, no blob.
 *
 * <p>The constructor normalises: files are sorted by name (duplicates refused), attributes are
 * sorted by key, null streams become empty. The byte arrays are copied in and out, so a manifest
 * is immutable and two manifests with the same content are {@link #equals equal}.
 *
 * @param key the entry's crate and cache key
 * @param files the files, sorted by name, names unique
 * @param stdout what rustc wrote to stdout
 * @param stderr what rustc wrote to stderr
 * @param attributes metadata from the wrapper; keys non-empty, none starting with
 *     {@link #RESERVED_PREFIX}
 * @param renderings the other renderings, oldest first; flags distinct, none the entry's own
 *     ({@link #DIAGNOSTIC_FLAGS}), each at most {@link #MAX_RENDERING_CHARS} long
 */
public record EntryManifest(ArtifactKey key, List<EntryFile> files, byte[] stdout, byte[] stderr,
                            Map<String, String> attributes, List<Rendering> renderings) {

    /**
     * Version of the manifest encoding and pack layout; entries of another version are misses.
     * Renderings did not change it: they are encoded as attributes (see {@link ManifestCodec}), which
     * a kache that knows nothing of them reads, keeps and ignores.
     */
    public static final int FORMAT_VERSION = 1;

    /** The attribute naming the diagnostic flags {@link #stdout} and {@link #stderr} were rendered with. */
    public static final String DIAGNOSTIC_FLAGS = "diagnostic-flags";
    /** The attribute holding rustc's JSON artifact notifications of that rendering. */
    public static final String NOTIFICATIONS = "notifications";
    /** Attribute names kept for the encoding of {@link #renderings}. */
    public static final String RESERVED_PREFIX = "kache.rendering.";
    /** Most renderings an entry keeps besides its own; adding one more drops the oldest. */
    public static final int MAX_RENDERINGS = 4;
    /** Longest rendering kept, in chars (flags, stdout, stderr and notifications together). */
    public static final long MAX_RENDERING_CHARS = 1 << 20;

    /** A class, not {@code Comparator.comparing}: lambdas cost a fresh JVM milliseconds on the hit path. */
    private static final Comparator<EntryFile> BY_NAME = new Comparator<>() {
        @Override
        public int compare(EntryFile a, EntryFile b) {
            return a.name().compareTo(b.name());
        }
    };

    public EntryManifest {
        Objects.requireNonNull(key, "key");
        List<EntryFile> sorted = new ArrayList<>(Objects.requireNonNull(files, "files"));
        sorted.sort(BY_NAME);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("duplicate file name '" + sorted.get(i).name()
                        + "' in entry " + key);
            }
        }
        files = List.copyOf(sorted);
        stdout = stdout == null ? new byte[0] : stdout.clone();
        stderr = stderr == null ? new byte[0] : stderr.clone();
        SortedMap<String, String> attrs = new TreeMap<>();
        if (attributes != null) {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                    throw new IllegalArgumentException("attribute keys must be non-empty and values non-null in entry "
                            + key);
                }
                if (!Unicode.isWellFormed(e.getKey()) || !Unicode.isWellFormed(e.getValue())) {
                    throw new IllegalArgumentException("attribute '" + e.getKey() + "' is not valid Unicode in entry "
                            + key);
                }
                if (e.getKey().startsWith(RESERVED_PREFIX)) {
                    throw new IllegalArgumentException("attribute '" + e.getKey() + "' is reserved in entry " + key);
                }
                attrs.put(e.getKey(), e.getValue());
            }
        }
        attributes = Collections.unmodifiableSortedMap(attrs);
        renderings = List.copyOf(Objects.requireNonNull(renderings, "renderings"));
        if (!renderings.isEmpty()) {
            checkRenderings(key, attrs, renderings);
        }
    }

    /** An entry with no other rendering than its own. */
    public EntryManifest(ArtifactKey key, List<EntryFile> files, byte[] stdout, byte[] stderr,
                         Map<String, String> attributes) {
        this(key, files, stdout, stderr, attributes, List.of());
    }

    private static void checkRenderings(ArtifactKey key, Map<String, String> attributes, List<Rendering> renderings) {
        if (renderings.size() > MAX_RENDERINGS) {
            throw new IllegalArgumentException(renderings.size() + " renderings in entry " + key + ", more than "
                    + MAX_RENDERINGS);
        }
        String own = attributes.getOrDefault(DIAGNOSTIC_FLAGS, "");
        for (int i = 0; i < renderings.size(); i++) {
            Rendering r = renderings.get(i);
            if (r.chars() > MAX_RENDERING_CHARS) {
                throw new IllegalArgumentException("a rendering of " + r.chars() + " chars in entry " + key
                        + ", more than " + MAX_RENDERING_CHARS);
            }
            if (r.flags().equals(own)) {
                throw new IllegalArgumentException("a rendering with the entry's own diagnostic flags in entry " + key);
            }
            for (int j = 0; j < i; j++) {
                if (renderings.get(j).flags().equals(r.flags())) {
                    throw new IllegalArgumentException("two renderings with the same diagnostic flags in entry " + key);
                }
            }
        }
    }

    /** A copy of the captured stdout. */
    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    /** A copy of the captured stderr. */
    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    /** Sum of the file sizes. */
    public long totalSize() {
        long total = 0;
        for (EntryFile f : files) {
            total += f.size();
        }
        return total;
    }

    /** The file called {@code name}, if any. */
    public Optional<EntryFile> file(String name) {
        for (EntryFile f : files) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The diagnostic flags of the entry's own rendering ({@link #stdout}, {@link #stderr}). */
    public String diagnosticFlags() {
        return attributes.getOrDefault(DIAGNOSTIC_FLAGS, "");
    }

    /** The entry's own rendering: its stdout, stderr and notifications, with its flags. */
    public Rendering ownRendering() {
        return new Rendering(diagnosticFlags(), new String(stdout, StandardCharsets.UTF_8),
                new String(stderr, StandardCharsets.UTF_8), attributes.getOrDefault(NOTIFICATIONS, ""));
    }

    /**
     * What rustc printed for this entry's compile with exactly {@code flags}: its own rendering or one
     * added later; empty when it has none for them. A few string comparisons: the hit path asks it.
     */
    public Optional<Rendering> renderedWith(String flags) {
        if (flags.equals(diagnosticFlags())) {
            return Optional.of(ownRendering());
        }
        for (Rendering r : renderings) {
            if (r.flags().equals(flags)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * This entry with {@code compiled}'s own rendering added, when {@code compiled} is a compile of the
     * same entry (its key and output file names) with diagnostic flags this entry has no rendering
     * for; empty when there is nothing to add, or the rendering is longer than
     * {@link #MAX_RENDERING_CHARS}. The files, streams and attributes stay this entry's; the oldest
     * rendering goes when there would be more than {@link #MAX_RENDERINGS}.
     */
    public Optional<EntryManifest> withRenderingOf(EntryManifest compiled) {
        if (!key.equals(compiled.key) || !sameFileNames(compiled)) {
            return Optional.empty();
        }
        Rendering added = compiled.ownRendering();
        if (renderedWith(added.flags()).isPresent() || added.chars() > MAX_RENDERING_CHARS) {
            return Optional.empty();
        }
        List<Rendering> kept = new ArrayList<>(renderings);
        kept.add(added);
        while (kept.size() > MAX_RENDERINGS) {
            kept.remove(0);
        }
        return Optional.of(new EntryManifest(key, files, stdout, stderr, attributes, kept));
    }

    private boolean sameFileNames(EntryManifest other) {
        if (files.size() != other.files.size()) {
            return false;
        }
        for (int i = 0; i < files.size(); i++) {
            if (!files.get(i).name().equals(other.files.get(i).name())) {
                return false;
            }
        }
        return true;
    }

    byte[] stdoutUnsafe() {
        return stdout;
    }

    byte[] stderrUnsafe() {
        return stderr;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntryManifest m && key.equals(m.key) && files.equals(m.files)
                && Arrays.equals(stdout, m.stdout) && Arrays.equals(stderr, m.stderr)
                && attributes.equals(m.attributes) && renderings.equals(m.renderings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, files, Arrays.hashCode(stdout), Arrays.hashCode(stderr), attributes, renderings);
    }

    @Override
    public String toString() {
        return "EntryManifest[" + key + ", " + files.size() + " files, " + totalSize() + " bytes, stdout "
                + stdout.length + " B, stderr " + stderr.length + " B, attributes " + attributes.keySet()
                + (renderings.isEmpty() ? "" : ", " + renderings.size() + " other renderings") + "]";
    }
}
