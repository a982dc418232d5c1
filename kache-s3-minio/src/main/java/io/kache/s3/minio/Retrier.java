package io.kache.s3.minio;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one S3 call up to {@link #MAX_ATTEMPTS} times while it fails retryably (throttling, 5xx,
 * dropped connections), with jittered exponential backoff. The MinIO client does not retry by
 * itself; a 4xx answer such as 403 is never retried.
 */
final class Retrier {

    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);
    private static final long BASE_DELAY_MILLIS = 100;

    /** One attempt of the call. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }

    private final Duration budget;

    /** @param budget the longest the backoff may wait in total, so a call stays within the timeout */
    Retrier(Duration budget) {
        this.budget = budget;
    }

    <T> T call(String operation, Call<T> call) throws Exception {
        long waited = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (Exception e) {
                long delay = ThreadLocalRandom.current().nextLong(BASE_DELAY_MILLIS << (attempt - 1)) + 1;
                if (attempt >= MAX_ATTEMPTS || !MinioErrors.isRetryable(e) || waited + delay > budget.toMillis()) {
                    throw e;
                }
                LOG.debug("{} attempt {} failed ({}), retrying in {} ms", operation, attempt, e.getClass().getSimpleName(), delay);
                waited += delay;
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
