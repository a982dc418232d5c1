package io.kache.core.remote;

import io.kache.api.StoreUnavailableException;
import io.kache.core.config.DurationValue;
import java.time.Duration;

/**
 * A transfer was given up under the deadline its caller gave it: no answer within it, a stall as
 * long, or a pace too slow to finish in reasonable time ({@link TransferPace}). The message says
 * which; the remote is as good as unavailable. Only time spent waiting on the remote counts: a
 * transfer that this machine's own work held up ends as a {@link LocalImportException} instead.
 */
public final class DeadlineExceededException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    private final Duration deadline;

    /** No answer at all within {@code deadline}. */
    public DeadlineExceededException(Duration deadline) {
        this(deadline, "no answer within " + DurationValue.format(deadline));
    }

    /** Given up under {@code deadline} for the reason {@code message} tells. */
    public DeadlineExceededException(Duration deadline, String message) {
        super(message);
        this.deadline = deadline;
    }

    public Duration deadline() {
        return deadline;
    }
}
