package io.kache.core.remote.s3.backend;

import io.kache.core.config.KacheConfig;

/**
 * How many idle connections an S3 client keeps open to its server. HTTP clients keep five by
 * default (the JDK's URL connection and OkHttp alike), while {@code kache sync} runs up to
 * {@code s3_concurrency} transfers, and as many listings beside them while its plan is made. With
 * five, every transfer past the fifth to finish closed its connection, and the next request opened
 * a new one: a pull of 500 entries at 16 at once opened about 80 connections where 16 do, each a
 * TCP handshake and a request pipeline set up again on both sides. An idle connection costs a
 * socket until the client's idle timeout closes it, so the bound is set to what kache may use at
 * once, not lower.
 */
public final class S3Connections {

    /** Idle connections kept per server: a transfer and a listing for each of the most parallel syncs. */
    public static final int MAX_IDLE = 2 * KacheConfig.MAX_S3_CONCURRENCY;

    private S3Connections() {
    }
}
