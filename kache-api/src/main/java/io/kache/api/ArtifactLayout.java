package io.kache.api;

import java.util.Optional;

/**
 * The one place that knows how entries are named in a bucket or shared directory:
 * {@code {prefix}/{crate_name}/{cache_key}.tar.zst}.
 *
 * <p>Every backend writes through {@link #objectName} and reads LIST results back through
 * {@link #parse}, so two clients on one bucket agree, and a name from a LIST is validated before
 * anyone uses it as a path.
 */
public final class ArtifactLayout {

    /** The prefix used when none is configured. */
    public static final String DEFAULT_PREFIX = "artifacts";
    /** The suffix of every entry object. */
    public static final String SUFFIX = ".tar.zst";
    /**
     * The directory of build records under the prefix. Its {@code -} makes it an invalid crate
     * name: no entry lives there, and {@link #parse} refuses everything under it.
     */
    public static final String RECORDS = "kache-builds";
    /** The suffix of a build record. */
    public static final String RECORD_SUFFIX = ".json";

    private final String prefix;

    private ArtifactLayout(String prefix) {
        this.prefix = prefix;
    }

    /** The layout with {@link #DEFAULT_PREFIX}. */
    public static ArtifactLayout withDefaultPrefix() {
        return new ArtifactLayout(DEFAULT_PREFIX);
    }

    /**
     * A layout under {@code prefix}, after trimming surrounding {@code /}.
     *
     * @throws IllegalArgumentException if the prefix is empty after trimming, or has a {@code .} or
     *     {@code ..} segment, a backslash, an empty segment or a control character
     */
    public static ArtifactLayout withPrefix(String prefix) {
        return new ArtifactLayout(normalizePrefix(prefix));
    }

    /**
     * Trims surrounding slashes and validates what is left; see {@link #withPrefix}.
     */
    public static String normalizePrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix must not be null");
        }
        String trimmed = prefix.strip();
        int start = 0;
        int end = trimmed.length();
        while (start < end && trimmed.charAt(start) == '/') {
            start++;
        }
        while (end > start && trimmed.charAt(end - 1) == '/') {
            end--;
        }
        trimmed = trimmed.substring(start, end);
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("prefix '" + prefix + "' is empty after trimming '/'");
        }
        if (trimmed.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must not contain '\\'");
        }
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("prefix '" + prefix
                        + "' must not contain empty, '.' or '..' segments");
            }
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (Character.isISOControl(trimmed.charAt(i))) {
                throw new IllegalArgumentException("prefix '" + prefix + "' must not contain control characters");
            }
        }
        return trimmed;
    }

    public String prefix() {
        return prefix;
    }

    /** {@code {prefix}/{crate}/{key}.tar.zst}. */
    public String objectName(ArtifactKey key) {
        return prefix + "/" + key.crateName() + "/" + key.cacheKey() + SUFFIX;
    }

    /**
     * {@code {prefix}/{crate}/}: the LIST prefix of exactly one crate. The trailing slash is what
     * keeps {@code serde} from matching {@code serde_json}.
     */
    public String cratePrefix(String crateName) {
        if (!ArtifactKey.isValidCrateName(crateName)) {
            throw new IllegalArgumentException("invalid crate name '" + crateName + "'");
        }
        return prefix + "/" + crateName + "/";
    }

    /**
     * {@code {prefix}/kache-builds/{slot}.json}: a build record, found by name (no listing).
     *
     * @param slot 16 to 64 lowercase hex characters (a digest of what the record is for)
     * @throws IllegalArgumentException for any other slot
     */
    public String recordName(String slot) {
        if (!isValidRecordSlot(slot)) {
            throw new IllegalArgumentException("invalid build record slot '" + slot + "'");
        }
        return prefix + "/" + RECORDS + "/" + slot + RECORD_SUFFIX;
    }

    /** Whether {@code slot} may name a build record: 16 to 64 lowercase hex characters. */
    public static boolean isValidRecordSlot(String slot) {
        if (slot == null || slot.length() < 16 || slot.length() > 64) {
            return false;
        }
        for (int i = 0; i < slot.length(); i++) {
            char c = slot.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** {@code {prefix}/}: the LIST prefix of every entry. */
    public String rootPrefix() {
        return prefix + "/";
    }

    /**
     * Parses an object name from a LIST back into a key.
     *
     * @return empty for anything that is not exactly {@code {prefix}/{valid crate}/{valid key}.tar.zst}
     *     (foreign objects in a shared bucket, temp files, hostile names)
     */
    public Optional<ArtifactKey> parse(String objectName) {
        if (objectName == null || !objectName.startsWith(prefix + "/") || !objectName.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String rest = objectName.substring(prefix.length() + 1, objectName.length() - SUFFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String crate = rest.substring(0, slash);
        String key = rest.substring(slash + 1);
        if (!ArtifactKey.isValidCrateName(crate) || !ArtifactKey.isValidCacheKey(key)) {
            return Optional.empty();
        }
        return Optional.of(new ArtifactKey(crate, key));
    }

    /**
     * Layouts of one prefix are equal: a layout is part of {@link RemoteSettings}, by which the kache
     * server keeps its open remotes, and each call loads its own. Without value equality every
     * served call opened another S3 client and never found the one opened ahead.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactLayout other && prefix.equals(other.prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }

    @Override
    public String toString() {
        return "ArtifactLayout[" + prefix + "]";
    }
}
