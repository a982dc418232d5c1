package io.kache.core.remote;

import io.kache.api.StoreUnavailableException;
import java.time.Duration;

/** A transfer did not finish within the deadline its caller gave it: the remote is as good as unavailable. */
public final class DeadlineExceededException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    private final Duration deadline;

    public DeadlineExceededException(Duration deadline) {
        super("no answer within " + deadline);
        this.deadline = deadline;
    }

    public Duration deadline() {
        return deadline;
    }
}
