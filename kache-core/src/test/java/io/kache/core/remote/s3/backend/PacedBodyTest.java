package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacedBodyTest {

    /** Each read returns one byte after {@code pause}: a body that trickles. */
    private static InputStream trickling(int size, Duration pause) {
        return new FilterInputStream(new ByteArrayInputStream(new byte[size])) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void aBodyAtSpeedIsReadWhole() throws IOException {
        byte[] content = new byte[1 << 20];
        content[12345] = 7;
        try (InputStream in = PacedBody.of(new ByteArrayInputStream(content), content.length, Duration.ofMillis(50))) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void aTricklingBodyFailsSoonAfterTheGraceSayingHowSlow() {
        long begin = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> PacedBody.of(trickling(100_000, Duration.ofMillis(20)),
                100_000, Duration.ofMillis(300)).readAllBytes());
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
        assertTrue(e.getMessage().contains("slower than 8 KiB/s") && e.getMessage().contains("of 100000 bytes"),
                e.getMessage());
    }

    @Test
    void aBodyWithinTheGraceIsNotJudgedByItsRate() throws IOException {
        // Ten bytes in about 200 ms: far below the rate, but inside a grace of 5 s.
        try (InputStream in = PacedBody.of(trickling(10, Duration.ofMillis(20)), 10, Duration.ofSeconds(5))) {
            assertEquals(10, in.readAllBytes().length);
        }
    }

    @Test
    void anInterruptedThreadsReadFails() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedIOException.class, () -> PacedBody.of(new ByteArrayInputStream(new byte[10]), 10,
                    Duration.ofSeconds(5)).read(new byte[4]));
        } finally {
            Thread.interrupted();
        }
    }
}
