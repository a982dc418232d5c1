package io.kache.core.sync;

import java.util.Objects;

/**
 * How one transfer ended.
 *
 * @param transfer what was attempted
 * @param status done, skipped (nothing to do any more) or failed
 * @param bytes packed bytes moved over the wire ({@code 0} unless done)
 * @param attempts how many times it was tried ({@code 0} if skipped before the first)
 * @param detail why it was skipped or failed, one sentence; empty when done
 */
public record TransferOutcome(Transfer transfer, Status status, long bytes, int attempts, String detail) {

    /** The three ways a transfer ends. */
    public enum Status {
        /** The entry moved. */
        DONE,
        /** Nothing to move any more: it vanished, appeared, or pushing was refused earlier. */
        SKIPPED,
        /** It could not be moved. */
        FAILED
    }

    public TransferOutcome {
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if (bytes < 0 || attempts < 0) {
            throw new IllegalArgumentException("bytes and attempts must not be negative");
        }
    }

    static TransferOutcome done(Transfer t, long bytes, int attempts) {
        return new TransferOutcome(t, Status.DONE, bytes, attempts, "");
    }

    static TransferOutcome skipped(Transfer t, int attempts, String why) {
        return new TransferOutcome(t, Status.SKIPPED, 0, attempts, why);
    }

    static TransferOutcome failed(Transfer t, int attempts, String why) {
        return new TransferOutcome(t, Status.FAILED, 0, attempts, why);
    }
}
