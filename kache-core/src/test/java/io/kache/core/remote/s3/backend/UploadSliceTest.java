package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactSource;
import io.kache.testkit.FailingSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Slices of the artifact being uploaded, and how their failures are told from the network's. */
class UploadSliceTest {

    private static final byte[] BYTES = "0123456789".getBytes();

    @Test
    void aSliceIsExactlyItsBytesAndEveryOpenStartsAgain() throws IOException {
        UploadSlice slice = new UploadSlice(ArtifactSource.ofBytes(BYTES), 3, 4);
        for (int i = 0; i < 2; i++) {
            try (InputStream in = slice.open()) {
                assertArrayEquals(Arrays.copyOfRange(BYTES, 3, 7), in.readAllBytes());
                assertEquals(-1, in.read());
            }
        }
        try (InputStream in = UploadSlice.whole(ArtifactSource.ofBytes(BYTES)).open()) {
            assertEquals('0', in.read());
            assertArrayEquals(Arrays.copyOfRange(BYTES, 1, 10), in.readAllBytes());
        }
    }

    @Test
    void aSourceEndingEarlyIsASourceFailureNotAShortObject() throws IOException {
        UploadSlice slice = new UploadSlice(ArtifactSource.ofBytes(BYTES), 6, 8);
        try (InputStream in = slice.open()) {
            UploadSlice.SourceReadException e = assertThrows(UploadSlice.SourceReadException.class, in::readAllBytes);
            assertEquals("the artifact ended 4 bytes early", e.getMessage());
        }
    }

    @Test
    void aReadFailureOfTheSourceIsMarkedAsSuch() throws IOException {
        try (InputStream in = UploadSlice.whole(new FailingSource(100, 10)).open()) {
            IOException e = assertThrows(IOException.class, in::readAllBytes);
            assertTrue(UploadSlice.failedReading(e));
            assertTrue(UploadSlice.failedReading(new UncheckedIOException(e)), "found through the cause chain");
        }
        assertFalse(UploadSlice.failedReading(new IOException("connection reset")));
    }

    @Test
    void aSourceThatCannotBeOpenedIsASourceFailure() {
        ArtifactSource broken = new ArtifactSource() {
            @Override
            public InputStream open() throws IOException {
                throw new IOException("disk gone");
            }

            @Override
            public long size() {
                return 1;
            }

            @Override
            public String toString() {
                return "broken source";
            }
        };
        UploadSlice.SourceReadException e = assertThrows(UploadSlice.SourceReadException.class,
                () -> UploadSlice.whole(broken).open());
        assertEquals("opening broken source failed", e.getMessage());
    }
}
