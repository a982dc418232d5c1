package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.time.Instant;
import io.kache.core.key.InputSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry as {@code kache list} shows it.
 *
 * @param key crate and cache key
 * @param files number of files
 * @param size total bytes of its files (shared blobs counted for each entry)
 * @param lastUsed when it was stored or last hit
 * @param packed whether it is still the pack it was pulled in, to be unpacked on first use
 * @param packageName the cargo package the crate belongs to, when the entry says: every build
 *     script's crate is {@code build_script_build}, only its package tells them apart
 */
public record EntryInfo(ArtifactKey key, int files, long size, Instant lastUsed, boolean packed,
                        Optional<String> packageName) {

    /** The entry attribute holding the package's name ({@code CARGO_PKG_NAME} of the call). */
    public static final String PACKAGE_ATTRIBUTE = "package";
    /** The cargo package's version ({@code CARGO_PKG_VERSION}): two versions of one package are two targets. */
    public static final String PACKAGE_VERSION_ATTRIBUTE = "package-version";

    public EntryInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastUsed, "lastUsed");
        Objects.requireNonNull(packageName, "packageName");
    }

    public EntryInfo(ArtifactKey key, int files, long size, Instant lastUsed, boolean packed) {
        this(key, files, size, lastUsed, packed, Optional.empty());
    }

    /**
     * The package of an entry with these attributes: the one recorded, else for a build script of
     * an older kache the directory holding the {@code build.rs} it read.
     */
    static Optional<String> packageOf(ArtifactKey key, Map<String, String> attributes) {
        String recorded = attributes.get(PACKAGE_ATTRIBUTE);
        if (recorded != null && !recorded.isEmpty()) {
            return Optional.of(recorded);
        }
        String inputs = attributes.get(CallKeyIndex.INPUTS_ATTRIBUTE);
        if (!key.crateName().equals("build_script_build") || inputs == null) {
            return Optional.empty();
        }
        try {
            return InputSet.decode(inputs).files().stream().map(f -> f.path().split("/"))
                    .filter(p -> p.length >= 2 && p[p.length - 1].equals("build.rs"))
                    .map(p -> p[p.length - 2]).findFirst();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
