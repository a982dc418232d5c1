package io.kache.core.remote.filesystem;

import static io.kache.core.remote.filesystem.Entries.content;
import static io.kache.core.remote.filesystem.Entries.key;
import static io.kache.core.remote.filesystem.Entries.load;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemArtifactStoreTest {

    @TempDir
    Path tmp;
    Path root;
    ArtifactStore store;

    @BeforeEach
    void open() throws IOException {
        root = Files.createDirectories(tmp.resolve("share"));
        store = new FilesystemStoreProvider().open(RemoteSettings.filesystem(root));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Nested
    class RoundTrip {

        @Test
        void storedBytesLoadBackWithTheirSize() throws Exception {
            ArtifactKey k = key("serde", 1);
            byte[] bytes = content(k, 100_000);
            store.store(k, ArtifactSource.ofBytes(bytes));
            assertArrayEquals(bytes, load(store, k).orElseThrow());
            assertTrue(store.contains(k));
        }

        @Test
        void entriesLiveAtPrefixCrateKeyTarZst() throws Exception {
            ArtifactKey k = key("serde", 1);
            store.store(k, ArtifactSource.ofBytes(new byte[] {1, 2, 3}));
            Path file = root.resolve("artifacts/serde/" + k.cacheKey() + ".tar.zst");
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        }

        @Test
        void aConfiguredPrefixIsHonoured() throws Exception {
            RemoteSettings s = RemoteSettings.filesystem(root);
            RemoteSettings prefixed = new RemoteSettings(s.type(), s.client(), s.bucket(), s.region(), s.endpoint(),
                    ArtifactLayout.withPrefix("team/kache"), s.profile(), s.path(), false, s.timeout(),
                    s.credentials(), s.options());
            try (ArtifactStore other = new FilesystemStoreProvider().open(prefixed)) {
                ArtifactKey k = key("serde", 1);
                other.store(k, ArtifactSource.ofBytes(new byte[] {9}));
                assertTrue(Files.exists(root.resolve("team/kache/serde/" + k.cacheKey() + ".tar.zst")));
                assertFalse(store.contains(k), "another prefix is another cache");
            }
        }

        @Test
        void anEmptyEntryRoundTrips() throws Exception {
            ArtifactKey k = key("empty", 1);
            store.store(k, ArtifactSource.ofBytes(new byte[0]));
            assertArrayEquals(new byte[0], load(store, k).orElseThrow());
        }

        @Test
        void storingAKeyAgainSucceedsAndKeepsTheEntry() throws Exception {
            ArtifactKey k = key("serde", 1);
            byte[] bytes = content(k, 1000);
            store.store(k, ArtifactSource.ofBytes(bytes));
            store.store(k, ArtifactSource.ofBytes(bytes));
            assertArrayEquals(bytes, load(store, k).orElseThrow());
        }
    }

    @Nested
    class Miss {

        @Test
        void missReturnsFalseWithoutCallingTheReader() throws Exception {
            assertFalse(store.load(key("serde", 1), (in, size) -> {
                throw new AssertionError("reader called on a miss");
            }));
            assertFalse(store.contains(key("serde", 1)));
        }

        @Test
        void listingAnUnknownCrateIsEmpty() throws Exception {
            try (Stream<ArtifactKey> keys = store.list("never_stored")) {
                assertEquals(0, keys.count());
            }
            try (Stream<ArtifactKey> keys = store.listAll()) {
                assertEquals(0, keys.count());
            }
        }
    }

    @Nested
    class Listing {

        @Test
        void listDoesNotBleedIntoLongerCrateNames() throws Exception {
            ArtifactKey serde = key("serde", 1);
            ArtifactKey serdeJson = key("serde_json", 1);
            store.store(serde, ArtifactSource.ofBytes(new byte[] {1}));
            store.store(serdeJson, ArtifactSource.ofBytes(new byte[] {2}));
            try (Stream<ArtifactKey> keys = store.list("serde")) {
                assertEquals(List.of(serde), keys.toList());
            }
            try (Stream<ArtifactKey> keys = store.list("serde_json")) {
                assertEquals(List.of(serdeJson), keys.toList());
            }
        }

        @Test
        void listAllReturnsEveryEntryOfEveryCrate() throws Exception {
            Set<ArtifactKey> stored = Set.of(key("a", 1), key("a", 2), key("b", 1), key("c_d", 7));
            for (ArtifactKey k : stored) {
                store.store(k, ArtifactSource.ofBytes(new byte[] {1}));
            }
            try (Stream<ArtifactKey> keys = store.listAll()) {
                assertEquals(stored, keys.collect(Collectors.toSet()));
            }
        }

        @Test
        void tempFilesForeignFilesAndInvalidNamesAreSkipped() throws Exception {
            ArtifactKey k = key("serde", 1);
            store.store(k, ArtifactSource.ofBytes(new byte[] {1}));
            Path crateDir = root.resolve("artifacts/serde");
            Files.writeString(crateDir.resolve("." + key("serde", 2).cacheKey() + ".1234.tmp"), "half");
            Files.writeString(crateDir.resolve(key("serde", 3).cacheKey() + ".tar.zst.part"), "x");
            Files.writeString(crateDir.resolve("README"), "x");
            Files.writeString(crateDir.resolve("ABCDEF.tar.zst"), "x");
            Files.createDirectories(root.resolve("artifacts/not-a-crate"));
            Files.writeString(root.resolve("artifacts/not-a-crate/" + key("x", 1).cacheKey() + ".tar.zst"), "x");
            Files.writeString(root.resolve("artifacts/loose.tar.zst"), "x");
            try (Stream<ArtifactKey> keys = store.list("serde")) {
                assertEquals(List.of(k), keys.toList());
            }
            try (Stream<ArtifactKey> keys = store.listAll()) {
                assertEquals(List.of(k), keys.toList());
            }
        }

        @Test
        void anInvalidCrateNameIsRefusedBeforeTouchingTheDisk() {
            assertThrows(IllegalArgumentException.class, () -> store.list("../etc"));
        }
    }

    @Nested
    class FailedWrites {

        @Test
        void aSourceFailingMidStreamLeavesNothingVisible() throws Exception {
            ArtifactKey k = key("serde", 1);
            ArtifactSource failing = new ArtifactSource() {
                @Override
                public InputStream open() {
                    return new InputStream() {
                        int served;

                        @Override
                        public int read() throws IOException {
                            if (served++ > 5000) {
                                throw new IOException("disk on fire");
                            }
                            return 7;
                        }
                    };
                }

                @Override
                public long size() {
                    return 10_000;
                }
            };
            assertThrows(StoreException.class, () -> store.store(k, failing));
            assertNothingUnder(k);
        }

        @Test
        void aSourceShorterThanItsSizeLeavesNothingVisible() throws Exception {
            ArtifactKey k = key("serde", 1);
            ArtifactSource lying = new ArtifactSource() {
                @Override
                public InputStream open() {
                    return InputStream.nullInputStream();
                }

                @Override
                public long size() {
                    return 10;
                }
            };
            StoreException e = assertThrows(StoreException.class, () -> store.store(k, lying));
            assertTrue(e.getMessage().contains("expected 10"), e.getMessage());
            assertNothingUnder(k);
        }

        private void assertNothingUnder(ArtifactKey k) throws Exception {
            assertFalse(store.contains(k));
            assertEquals(Optional.empty(), load(store, k));
            try (Stream<Path> files = Files.list(root.resolve("artifacts/" + k.crateName()))) {
                assertEquals(List.of(), files.toList(), "the temp file is cleaned up");
            }
        }
    }

    @Nested
    class ReaderFailures {

        @Test
        void anIoFailureInTheReaderIsUnavailable() throws Exception {
            ArtifactKey k = key("serde", 1);
            store.store(k, ArtifactSource.ofBytes(new byte[] {1}));
            assertThrows(StoreUnavailableException.class, () -> store.load(k, (in, size) -> {
                throw new IOException("local disk full");
            }));
        }

        @Test
        void aStoreExceptionFromTheReaderPassesThrough() throws Exception {
            ArtifactKey k = key("serde", 1);
            store.store(k, ArtifactSource.ofBytes(new byte[] {1}));
            StoreMisconfiguredException thrown = new StoreMisconfiguredException("from reader");
            assertSame(thrown, assertThrows(StoreMisconfiguredException.class, () -> store.load(k, (in, size) -> {
                throw thrown;
            })));
        }
    }
}
