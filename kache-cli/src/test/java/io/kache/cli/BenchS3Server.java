package io.kache.cli;

import io.kache.testkit.s3.S3TestServer;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The S3 server of {@link SyncBenchmark}, in a JVM of its own: a real server is not the client's
 * process, and in the client's JVM it would share its heap, JIT and flags. Prints its endpoint on
 * one line, then serves until its standard input closes. {@code bench/sync.sh} starts it inside a
 * network namespace of its own, reached over a rate-limited veth pair, when it can.
 *
 * <p>Arguments: {@code DIRECTORY ACCESS_KEY SECRET_KEY [HOST [LATENCY_MS [BUCKET…]]]}: the address to listen
 * on (default 127.0.0.1) and the time every request waits before it is served (default 0), the
 * round trip of the modelled network; then buckets to create
 * ({@code bench/prefetch.sh}).
 */
public final class BenchS3Server {

    private BenchS3Server() {
    }

    public static void main(String[] args) throws Exception {
        String host = args.length > 3 ? args[3] : "127.0.0.1";
        Duration latency = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 0);
        try (S3TestServer server = S3TestServer.startOn(host, Path.of(args[0]), args[1], args[2])) {
            server.delayEachRequest(latency);
            for (int i = 5; i < args.length; i++) {
                server.createBucket(args[i]);
            }
            System.out.println(server.endpoint());
            System.out.flush();
            // Ends when the benchmark closes the pipe, or dies.
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
