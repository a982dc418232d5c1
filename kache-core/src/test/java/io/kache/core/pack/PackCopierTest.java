package io.kache.core.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.CorruptedEntryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PackCopierTest {

    @Test
    void aPackLongerThanTheLimitIsRefusedBeforeItIsAllWritten() throws Exception {
        byte[] pack = PackFixtures.pack(PackFixtures.sample(), 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class, () -> PackCopier.copy(
                new ByteArrayInputStream(pack), Channels.newChannel(out), pack.length - 1, "test pack"));
        assertTrue(e.getMessage().contains("test pack") && e.getMessage().contains("longer than the limit"),
                e.getMessage());
        assertEquals(0, out.size(), "a pack within one buffer is not written at all");
    }

    @Test
    void aMissingTrailerIsNamed() throws Exception {
        byte[] pack = PackFixtures.pack(PackFixtures.sample(), 3);
        byte[] cut = Arrays.copyOf(pack, pack.length - PackTrailer.LENGTH);
        CorruptedEntryException e = assertThrows(CorruptedEntryException.class, () -> PackCopier.copy(
                new ByteArrayInputStream(cut), Channels.newChannel(new ByteArrayOutputStream()), pack.length, "p"));
        assertTrue(e.getMessage().contains("integrity trailer"), e.getMessage());
    }

    @Test
    void aFailureOfTheSourceIsPassedOnUnchanged() {
        IOException reset = new IOException("connection reset");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw reset;
            }
        };
        IOException e = assertThrows(IOException.class, () -> PackCopier.copy(failing,
                Channels.newChannel(new ByteArrayOutputStream()), 100, "p"));
        assertEquals(reset, e, "a network failure stays retryable, not a corrupted pack");
    }
}
