package io.kache.core.remote.filesystem;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.StoreException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;

/** Deterministic keys and contents for store tests, so separate processes agree on them. */
final class Entries {

    private Entries() {
    }

    static ArtifactKey key(String crate, int n) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((crate + "#" + n).getBytes(StandardCharsets.UTF_8));
            return new ArtifactKey(crate, HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The bytes every writer stores under {@code key}: entries are immutable, so all writers agree. */
    static byte[] content(ArtifactKey key, int size) {
        byte[] bytes = new byte[size];
        new Random(key.cacheKey().hashCode()).nextBytes(bytes);
        return bytes;
    }

    /** The entry's bytes, or empty on a miss. */
    static Optional<byte[]> load(ArtifactStore store, ArtifactKey key) throws StoreException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] size = {-2};
        boolean hit = store.load(key, (in, s) -> {
            size[0] = s;
            in.transferTo(out);
        });
        if (!hit) {
            return Optional.empty();
        }
        if (size[0] != out.size()) {
            throw new AssertionError("reported size " + size[0] + " but streamed " + out.size());
        }
        return Optional.of(out.toByteArray());
    }
}
