package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.EntryReader;
import io.kache.api.RemoteSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The doctor's probe of a remote, against a remote that misbehaves in ways a real server can. */
class RemoteProbeTest {

    /** Far past any probe: a read that gets here reads without a cap. */
    private static final long READ_LIMIT = 1 << 20;

    @Test
    void aBodyThatDoesNotEndIsAFailedCheckNotAReadOfEverything() {
        EndlessBodies remote = new EndlessBodies();
        RemoteSettings settings = new RemoteSettings("s3", Optional.empty(), Optional.of("team"), "eu-west-1",
                Optional.of(URI.create("http://127.0.0.1:9")), ArtifactLayout.withPrefix("artifacts"), Optional.empty(),
                Optional.empty(), false, RemoteSettings.DEFAULT_TIMEOUT, Optional.empty(), Map.of());
        List<DoctorCheck> checks = new RemoteProbe(remote, new StoreDiagnosis(settings, "the environment")).run(false);
        DoctorCheck get = checks.stream().filter(c -> c.name().equals("remote get")).findFirst().orElseThrow();
        assertEquals(DoctorCheck.Verdict.FAIL, get.verdict(), get.toString());
        assertTrue(get.toString().contains("more than"), get.toString());
        long probe = remote.stored.values().iterator().next().length;
        assertTrue(remote.longestRead <= probe + 1, "read " + remote.longestRead + " bytes of a " + probe + "-byte probe");
    }

    /** Stores as asked; loads answer the stored bytes followed by zeros that never end. */
    private static final class EndlessBodies implements ArtifactStore {
        private final Map<ArtifactKey, byte[]> stored = new HashMap<>();
        long longestRead;

        @Override
        public boolean load(ArtifactKey key, EntryReader reader) {
            byte[] bytes = stored.get(key);
            if (bytes == null) {
                return false;
            }
            InputStream zeros = new InputStream() {
                long served;

                @Override
                public int read() {
                    if (++served > READ_LIMIT) {
                        throw new AssertionError("read past any probe's length");
                    }
                    longestRead = Math.max(longestRead, bytes.length + served);
                    return 0;
                }
            };
            try {
                reader.read(new SequenceInputStream(new java.io.ByteArrayInputStream(bytes), zeros), -1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) {
            try (InputStream in = source.open()) {
                stored.put(key, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean contains(ArtifactKey key) {
            return stored.containsKey(key);
        }

        @Override
        public Stream<ArtifactKey> list(String crateName) {
            return stored.keySet().stream().filter(k -> k.crateName().equals(crateName));
        }

        @Override
        public Stream<ArtifactKey> listAll() {
            return stored.keySet().stream();
        }

        @Override
        public void close() {
        }
    }
}
