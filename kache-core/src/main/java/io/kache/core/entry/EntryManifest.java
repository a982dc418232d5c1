package io.kache.core.entry;

import io.kache.api.ArtifactKey;
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
 * compiler's captured stdout and stderr so a hit can replay diagnostics, and free-form attributes
 * from the wrapper.
 *
 * <p>The constructor normalises: files are sorted by name (duplicates refused), attributes are
 * sorted by key, null streams become empty. The byte arrays are copied in and out, so a manifest
 * is immutable and two manifests with the same content are {@link #equals equal}.
 *
 * @param key the entry's crate and cache key
 * @param files the files, sorted by name, names unique
 * @param stdout what rustc wrote to stdout
 * @param stderr what rustc wrote to stderr
 * @param attributes metadata from the wrapper; keys non-empty
 */
public record EntryManifest(ArtifactKey key, List<EntryFile> files, byte[] stdout, byte[] stderr,
                            Map<String, String> attributes) {

    /** Version of the manifest encoding and pack layout; entries of another version are misses. */
    public static final int FORMAT_VERSION = 1;

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
                attrs.put(e.getKey(), e.getValue());
            }
        }
        attributes = Collections.unmodifiableSortedMap(attrs);
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
                && attributes.equals(m.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, files, Arrays.hashCode(stdout), Arrays.hashCode(stderr), attributes);
    }

    @Override
    public String toString() {
        return "EntryManifest[" + key + ", " + files.size() + " files, " + totalSize() + " bytes, stdout "
                + stdout.length + " B, stderr " + stderr.length + " B, attributes " + attributes.keySet() + "]";
    }
}
