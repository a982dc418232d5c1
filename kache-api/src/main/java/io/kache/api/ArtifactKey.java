package io.kache.api;

/**
 * Names one cache entry: the crate it belongs to and the hex cache key of one rustc call.
 *
 * <p>Both parts end up in object names and file paths, so they are validated here and invalid
 * values are rejected, never sanitized: a sanitized name could alias another crate's entries.
 *
 * @param crateName a crate name as rustc sees it (cargo's {@code -} already mapped to {@code _}):
 *     ASCII letters, digits and {@code _}, not starting with a digit, at most {@value #MAX_CRATE_NAME} chars
 * @param cacheKey lowercase hex, exactly {@value #CACHE_KEY_LENGTH} characters (a SHA-256)
 */
public record ArtifactKey(String crateName, String cacheKey) {

    /** Longest crate name accepted. */
    public static final int MAX_CRATE_NAME = 128;
    /** Length of every cache key, in hex characters. */
    public static final int CACHE_KEY_LENGTH = 64;

    public ArtifactKey {
        if (crateName == null || !isValidCrateName(crateName)) {
            throw new IllegalArgumentException("invalid crate name " + quote(crateName)
                    + ": expected ASCII letters, digits and '_', not starting with a digit, at most "
                    + MAX_CRATE_NAME + " characters");
        }
        if (cacheKey == null || !isValidCacheKey(cacheKey)) {
            throw new IllegalArgumentException("invalid cache key " + quote(cacheKey)
                    + ": expected " + CACHE_KEY_LENGTH + " lowercase hex characters");
        }
    }

    // equals and hashCode by hand: a record's own are bootstrapped through invokedynamic, milliseconds of
    // a fresh JVM at the first map lookup of a key. HandWrittenEqualityTest fails if a component is left out.
    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactKey k && crateName.equals(k.crateName) && cacheKey.equals(k.cacheKey);
    }

    @Override
    public int hashCode() {
        return crateName.hashCode() * 31 + cacheKey.hashCode();
    }

    /** Whether {@code name} is acceptable as {@link #crateName()}. */
    public static boolean isValidCrateName(String name) {
        // Checked by hand, not with a regex: this runs in every wrapper call, in a fresh JVM.
        if (name == null || name.isEmpty() || name.length() > MAX_CRATE_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code key} is acceptable as {@link #cacheKey()}. */
    public static boolean isValidCacheKey(String key) {
        if (key == null || key.length() != CACHE_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The first 12 hex characters, for human output. */
    public String shortKey() {
        return cacheKey.substring(0, 12);
    }

    @Override
    public String toString() {
        return crateName + "/" + cacheKey;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + shown + "'";
    }
}
