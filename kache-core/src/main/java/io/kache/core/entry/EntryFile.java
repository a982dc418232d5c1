package io.kache.core.entry;

import java.util.Objects;

/**
 * One file of a cache entry.
 *
 * @param name where the file goes, relative to the restore directory; see {@link EntryNames}
 * @param size its length in bytes
 * @param executable whether it is restored with execute permission (binaries, build scripts)
 * @param sha256 its content hash, 64 lowercase hex characters; also the name of its blob
 */
public record EntryFile(String name, long size, boolean executable, String sha256) {

    public EntryFile {
        EntryNames.check(name);
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for entry file " + EntryNames.quote(name));
        }
        Objects.requireNonNull(sha256, "sha256");
        if (!isSha256Hex(sha256)) {
            throw new IllegalArgumentException("invalid sha256 " + EntryNames.quote(sha256) + " for entry file "
                    + EntryNames.quote(name) + ": expected 64 lowercase hex characters");
        }
    }

    /** Whether {@code s} is 64 lowercase hex characters. */
    public static boolean isSha256Hex(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
