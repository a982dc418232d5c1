package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactSource;
import io.kache.api.CorruptedEntryException;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import io.kache.testkit.TestKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the store adds to a {@link BucketClient}, over a client that answers from memory. The real
 * clients run against a real S3 server in the backend modules.
 */
class S3ArtifactStoreTest {

    private static final ArtifactLayout LAYOUT = ArtifactLayout.withPrefix("artifacts");
    private static final ArtifactKey KEY = TestKeys.key("serde", 0);
    private static final S3ErrorMapper ERRORS = new S3ErrorMapper("cache", "artifacts", "http://127.0.0.1:1");

    /** One object at most, a log of the calls made, and one of what was done with each body. */
    private static final class MemoryClient implements BucketClient {
        final List<String> calls = new ArrayList<>();
        final List<String> bodyCalls = new ArrayList<>();
        byte[] object;
        boolean transport = true;
        boolean closed;

        @Override
        public void deleteObject(String name) {
            calls.add("DELETE " + name);
            object = null;
        }

        @Override
        public Optional<Download> getObject(String name) {
            calls.add("GET " + name);
            if (object == null) {
                return Optional.empty();
            }
            InputStream body = new ByteArrayInputStream(object);
            return Optional.of(new Download() {
                @Override
                public InputStream body() {
                    return body;
                }

                @Override
                public long length() {
                    return object.length;
                }

                @Override
                public boolean isTransportFailure(RuntimeException e) {
                    return transport;
                }

                @Override
                public void abandon() {
                    bodyCalls.add("abandon");
                }

                @Override
                public void close() throws IOException {
                    bodyCalls.add("close");
                    body.close();
                }
            });
        }

        @Override
        public boolean headObject(String name) {
            calls.add("HEAD " + name);
            return object != null;
        }

        @Override
        public void putObject(String name, ArtifactSource source) throws StoreException {
            calls.add("PUT " + name);
            try (InputStream in = source.open()) {
                object = in.readAllBytes();
            } catch (IOException e) {
                throw new StoreUnavailableException("put failed", e);
            }
        }

        @Override
        public S3KeyListing.ObjectNames listObjects(String prefix) {
            calls.add("LIST " + prefix);
            List<String> names = new ArrayList<>(object == null ? List.of() : List.of(LAYOUT.objectName(KEY)));
            return () -> names.isEmpty() ? null : names.remove(0);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final MemoryClient client = new MemoryClient();

    private S3ArtifactStore store(boolean readOnly) {
        return new S3ArtifactStore("TestS3Store", client, LAYOUT, ERRORS, readOnly);
    }

    @Test
    void objectsAreNamedByTheLayoutAndAMissingKeyIsAMiss() throws StoreException {
        S3ArtifactStore store = store(false);
        assertFalse(store.load(KEY, (in, size) -> { }));
        assertFalse(store.contains(KEY));
        store.store(KEY, ArtifactSource.ofBytes(new byte[] {4, 2}));
        long[] announced = {0};
        assertTrue(store.load(KEY, (in, size) -> {
            announced[0] = size;
            assertEquals(4, in.read());
        }));
        assertEquals(2, announced[0]);
        assertTrue(store.contains(KEY));
        assertEquals(List.of(KEY), store.list("serde").toList());
        assertEquals(List.of(KEY), store.listAll().toList());
        String name = LAYOUT.objectName(KEY);
        assertEquals(List.of("GET " + name, "HEAD " + name, "PUT " + name, "GET " + name, "HEAD " + name,
                "LIST " + LAYOUT.cratePrefix("serde"), "LIST " + LAYOUT.rootPrefix()), client.calls);
    }

    @Test
    void aReadOnlyRemoteRefusesWritesWithoutACall() {
        StoreAccessDeniedException e = assertThrows(StoreAccessDeniedException.class,
                () -> store(true).store(KEY, ArtifactSource.ofBytes(new byte[1])));
        assertTrue(e.getMessage().contains("remote_readonly"), e.getMessage());
        assertEquals(List.of(), client.calls);
    }

    @Test
    void theReadersOwnStoreExceptionPassesUnchangedAndTheConnectionIsDropped() throws StoreException {
        S3ArtifactStore store = store(false);
        store.store(KEY, ArtifactSource.ofBytes(new byte[] {1}));
        CorruptedEntryException corrupt = new CorruptedEntryException("bad tarball", null);
        assertSame(corrupt, assertThrows(CorruptedEntryException.class, () -> store.load(KEY, (in, size) -> {
            throw corrupt;
        })));
        assertEquals(List.of("abandon", "close"), client.bodyCalls, "dropped before a close could drain it");
    }

    @Test
    void aBrokenBodyIsUnavailableNamingTheObject() throws StoreException {
        S3ArtifactStore store = store(false);
        store.store(KEY, ArtifactSource.ofBytes(new byte[] {1}));
        StoreException io = assertThrows(StoreUnavailableException.class, () -> store.load(KEY, (in, size) -> {
            throw new IOException("connection reset");
        }));
        assertEquals("reading s3://cache/" + LAYOUT.objectName(KEY) + " failed: connection reset", io.getMessage());
        StoreException transport = assertThrows(StoreUnavailableException.class, () -> store.load(KEY, (in, size) -> {
            throw new UncheckedIOException(new IOException("reset"));
        }));
        assertInstanceOf(UncheckedIOException.class, transport.getCause());
        assertEquals(List.of("abandon", "close", "abandon", "close"), client.bodyCalls);
    }

    @Test
    void aRuntimeFailureThatIsNotTheClientsPropagates() throws StoreException {
        S3ArtifactStore store = store(false);
        store.store(KEY, ArtifactSource.ofBytes(new byte[] {1}));
        client.transport = false;
        assertThrows(IllegalStateException.class, () -> store.load(KEY, (in, size) -> {
            throw new IllegalStateException("a bug in the reader");
        }));
    }

    @Test
    void aRecordPastItsBoundIsRefusedUnreadAndItsConnectionDroppedBeforeTheBodyIsClosed() throws StoreException {
        S3ArtifactStore store = store(false);
        store.writeRecord("0123456789abcdef", new byte[64]);
        assertThrows(CorruptedEntryException.class, () -> store.readRecord("0123456789abcdef", 16));
        assertEquals(List.of("abandon", "close"), client.bodyCalls);
        client.bodyCalls.clear();
        assertEquals(64, store.readRecord("0123456789abcdef", 64).orElseThrow().length);
        assertEquals(List.of("close"), client.bodyCalls);
    }

    @Test
    void aFinishedReadKeepsTheConnectionAndCloseClosesTheClient() throws StoreException {
        S3ArtifactStore store = store(false);
        store.store(KEY, ArtifactSource.ofBytes(new byte[] {1}));
        assertTrue(store.load(KEY, (in, size) -> in.readAllBytes()));
        assertEquals(List.of("close"), client.bodyCalls, "closed only, its connection kept");
        assertEquals("TestS3Store[s3://cache/artifacts]", store.toString());
        store.close();
        assertTrue(client.closed);
    }

    @Test
    void deleteRemovesTheObjectAndAReadOnlyRemoteRefusesWithoutARequest() throws Exception {
        MemoryClient client = new MemoryClient();
        client.object = new byte[] {1};
        ArtifactKey key = new ArtifactKey("serde", "cd".repeat(32));
        ArtifactLayout layout = ArtifactLayout.withDefaultPrefix();
        S3ErrorMapper errors = ERRORS;
        new S3ArtifactStore("t", client, layout, errors, false).delete(key);
        org.junit.jupiter.api.Assertions.assertEquals(List.of("DELETE " + layout.objectName(key)), client.calls);
        client.calls.clear();
        org.junit.jupiter.api.Assertions.assertThrows(io.kache.api.StoreAccessDeniedException.class,
                () -> new S3ArtifactStore("t", client, layout, errors, true).delete(key));
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), client.calls);
    }
}
