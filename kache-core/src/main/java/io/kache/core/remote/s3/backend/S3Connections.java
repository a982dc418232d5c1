package io.kache.core.remote.s3.backend;

import io.kache.core.config.KacheConfig;

/**
 * How many requests an S3 client may have in flight to its server, and how many idle connections
 * it keeps for the next ones. HTTP clients default to five of each: the JDK's URL connection keeps
 * five idle connections per server, OkHttp keeps five and runs at most five asynchronous calls per
 * host (the MinIO client's calls are asynchronous). {@code kache sync} runs up to {@code
 * s3_concurrency} transfers, and as many listings beside them while its plan is made. With five
 * idle connections, every transfer past the fifth to finish closed its connection and the next
 * request opened a new one: a pull of 500 entries at 16 at once opened about 80 connections. With
 * five calls per host, the MinIO client sent five requests at a time, however many transfers
 * waited. An idle connection costs a socket until the client's idle timeout closes it, and kache
 * bounds its own parallelism, so the bound here is what kache may use at once, not lower.
 */
public final class S3Connections {

    /** Requests in flight, and idle connections kept, per server: a transfer and a listing for each of the most parallel syncs. */
    public static final int MAX_PARALLEL = 2 * KacheConfig.MAX_S3_CONCURRENCY;

    private S3Connections() {
    }
}
