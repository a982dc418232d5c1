package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import java.util.Objects;

/**
 * One planned move of one entry.
 *
 * @param direction pull or push
 * @param key the entry
 * @param size the entry's unpacked size in bytes when known (pushes), else {@code -1}
 */
public record Transfer(Direction direction, ArtifactKey key, long size) {

    public Transfer {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(key, "key");
        if (size < -1) {
            throw new IllegalArgumentException("size must be -1 (unknown) or positive: " + size);
        }
    }

    @Override
    public String toString() {
        return direction.label() + " " + key.crateName() + " " + key.shortKey();
    }
}
