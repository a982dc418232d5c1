package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Path;

/** The SHA-256 of a file's content, as lowercase hex. Implementations may memoize by file identity. */
@FunctionalInterface
public interface FileHasher {
    String sha256(Path file) throws IOException;
}
