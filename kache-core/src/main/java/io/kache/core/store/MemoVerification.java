package io.kache.core.store;

import java.util.List;

/**
 * What {@link LocalStore#verifyToolchainMemos} found in {@code memos/}: each memo checked
 * against the length and SHA-256 it was written with. Those that fail are deleted: each is asked
 * of the compiler again when next needed, as if never remembered.
 *
 * @param checked files looked at
 * @param damaged memos that were empty, cut short or altered after kache wrote them, now deleted
 * @param unsealed files without the check, now deleted: an older kache's memos, or files kache never wrote
 */
public record MemoVerification(int checked, List<String> damaged, List<String> unsealed) {

    public MemoVerification {
        damaged = List.copyOf(damaged);
        unsealed = List.copyOf(unsealed);
    }

    /** Whether no memo was damaged (an older kache's are not damage). */
    public boolean clean() {
        return damaged.isEmpty();
    }
}
