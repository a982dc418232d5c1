package io.kache.core.sync;

import io.kache.core.config.KacheConfig;
import io.kache.core.remote.RetryPolicy;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a sync runs.
 *
 * @param concurrency transfers at once ({@code s3_concurrency})
 * @param compressionLevel zstd level of pushed packs ({@code compression_level})
 * @param retry how retryable failures are retried
 * @param tempDir where pushed packs are staged; empty means the JVM's temp directory
 */
public record SyncOptions(int concurrency, int compressionLevel, RetryPolicy retry, Optional<Path> tempDir) {

    public SyncOptions {
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(tempDir, "tempDir");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        if (compressionLevel < KacheConfig.MIN_COMPRESSION_LEVEL || compressionLevel > KacheConfig.MAX_COMPRESSION_LEVEL) {
            throw new IllegalArgumentException("compressionLevel out of range: " + compressionLevel);
        }
    }

    /** The configuration's concurrency and compression level, the default retry policy. */
    public static SyncOptions of(KacheConfig config) {
        return new SyncOptions(config.s3Concurrency(), config.compressionLevel(), RetryPolicy.DEFAULT, Optional.empty());
    }

    public SyncOptions withRetry(RetryPolicy policy) {
        return new SyncOptions(concurrency, compressionLevel, policy, tempDir);
    }
}
