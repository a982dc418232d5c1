package io.kache.core.pack;

/**
 * The layout of an entry pack ({@code {cache_key}.tar.zst}): one zstd frame (with content
 * checksum) holding a POSIX tar of
 * <ol>
 *   <li>{@value #MANIFEST_NAME}: the entry's manifest ({@link io.kache.core.entry.ManifestCodec}):
 *       format version, crate, key, each file's name, size, mode and SHA-256, stdout, stderr,
 *       attributes;</li>
 *   <li>{@value #FILES_PREFIX}{@code NAME} for each file, in manifest (name) order.</li>
 * </ol>
 * Deterministic: fixed mtime {@value #MTIME_SECONDS}, uid/gid 0, no user or group names, modes
 * {@code 0644} or {@code 0755}, PAX headers only where a name needs one. The same entry always
 * packs to the same bytes at a given level.
 */
public final class PackFormat {

    /** Name of the manifest member, always first. */
    public static final String MANIFEST_NAME = "kache.entry";
    /** Prefix of every file member. */
    public static final String FILES_PREFIX = "files/";
    /** mtime of every member (2020-01-01T00:00:00Z): fixed, so packs are reproducible. */
    public static final long MTIME_SECONDS = 1_577_836_800L;
    /** Default zstd level. */
    public static final int DEFAULT_LEVEL = 3;
    /** Lowest and highest zstd levels accepted. */
    public static final int MIN_LEVEL = 1;
    public static final int MAX_LEVEL = 22;
    /** Largest zstd window accepted when reading: 2^27 = 128 MiB. */
    public static final int WINDOW_LOG_MAX = 27;

    static final int MODE_FILE = 0100644;
    static final int MODE_EXECUTABLE = 0100755;

    private PackFormat() {
    }

    /**
     * Checks a compression level.
     *
     * @throws IllegalArgumentException if not within {@value #MIN_LEVEL}..{@value #MAX_LEVEL}
     */
    public static int checkLevel(int level) {
        if (level < MIN_LEVEL || level > MAX_LEVEL) {
            throw new IllegalArgumentException("compression level " + level + " is out of range "
                    + MIN_LEVEL + ".." + MAX_LEVEL);
        }
        return level;
    }
}
