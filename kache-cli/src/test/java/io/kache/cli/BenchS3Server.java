package io.kache.cli;

import io.kache.testkit.s3.S3TestServer;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The S3 server of {@link SyncBenchmark}, in a JVM of its own: a real server is not the client's
 * process, and in the client's JVM it would share its heap, JIT and flags. Prints its endpoint on
 * one line, then serves until its standard input closes.
 *
 * <p>Arguments: {@code DIRECTORY ACCESS_KEY SECRET_KEY [BUCKET…]}: the buckets are created first.
 */
public final class BenchS3Server {

    private BenchS3Server() {
    }

    public static void main(String[] args) throws Exception {
        try (S3TestServer server = S3TestServer.start(Path.of(args[0]), args[1], args[2])) {
            for (int i = 3; i < args.length; i++) {
                server.createBucket(args[i]);
            }
            System.out.println(server.endpoint());
            System.out.flush();
            // Ends when the benchmark closes the pipe, or dies.
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
