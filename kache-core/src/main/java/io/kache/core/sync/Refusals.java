package io.kache.core.sync;

import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;

/**
 * Explains why the remote refused a whole direction, in words a user can act on. A refused push
 * always names {@code remote_readonly}: read-only credentials are by far the usual cause, and
 * that setting is how kache is told to stop pushing.
 */
final class Refusals {

    static final String READONLY_FIX = "if these credentials may only read, set remote_readonly = true"
            + " ([cache] in the config file, or KACHE_REMOTE_READONLY=1) so kache stops pushing";

    private Refusals() {
    }

    static String explain(Direction direction, StoreException e) {
        String what = direction == Direction.PUSH ? "push refused" : "pull refused";
        String message = what + ": " + e.getMessage();
        if (direction == Direction.PUSH && e instanceof StoreAccessDeniedException
                && !e.getMessage().contains("remote_readonly")) {
            message += "; " + READONLY_FIX;
        }
        return message + "; the remaining " + (direction == Direction.PUSH ? "pushes" : "pulls") + " were skipped";
    }
}
