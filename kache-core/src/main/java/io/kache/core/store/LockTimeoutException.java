package io.kache.core.store;

import java.io.IOException;

/**
 * A lock was not acquired within the allowed wait. The caller may go on without it (run rustc
 * anyway, skip an eviction): locks only avoid duplicate work, they never guard correctness of
 * what readers see.
 */
public final class LockTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    public LockTimeoutException(String message) {
        super(message);
    }
}
