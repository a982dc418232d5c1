package io.kache.core.pack;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Whatever stops the background decompression reaches the reader. */
class DecompressingPipeTest {

    /**
     * zstd's native library failing to load (a noexec /tmp) is a LinkageError, not an exception:
     * the reader must get it as a failure, not wait for the next chunk for ever (a pull or a
     * prefetch thread would hang).
     */
    @Test
    void anErrorOfTheDecompressingThreadIsTheReadersFailure() {
        InputStream broken = new InputStream() {
            @Override
            public int read() {
                throw new UnsatisfiedLinkError("no libzstd-jni here");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                throw new UnsatisfiedLinkError("no libzstd-jni here");
            }
        };
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IOException.class, () -> {
            try (DecompressingPipe pipe = new DecompressingPipe(broken, 27)) {
                pipe.readAllBytes();
            }
        }));
        assertTrue(e.getMessage().contains("no libzstd-jni here"), e.getMessage());
    }
}
