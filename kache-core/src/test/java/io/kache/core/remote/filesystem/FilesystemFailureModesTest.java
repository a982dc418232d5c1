package io.kache.core.remote.filesystem;

import static io.kache.core.remote.filesystem.Entries.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A missing share is a configuration error, a refused write is access denied, never a silent miss. */
class FilesystemFailureModesTest {

    @TempDir
    Path tmp;

    private final FilesystemStoreProvider provider = new FilesystemStoreProvider();

    @Test
    void aMissingDirectoryIsMisconfiguredAtOpen() {
        StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                () -> provider.open(RemoteSettings.filesystem(tmp.resolve("absent"))));
        assertTrue(e.getMessage().contains(tmp.resolve("absent") + " does not exist"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("absent")), "open must not create the directory");
    }

    @Test
    void aFileInsteadOfADirectoryIsMisconfigured() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                () -> provider.open(RemoteSettings.filesystem(file)));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void aRelativePathIsMisconfigured() {
        assertThrows(StoreMisconfiguredException.class, () -> provider.open(RemoteSettings.filesystem(Path.of("rel"))));
    }

    @Test
    void noPathIsMisconfigured() {
        RemoteSettings s = RemoteSettings.filesystem(tmp);
        RemoteSettings noPath = new RemoteSettings(s.type(), s.client(), s.bucket(), s.region(), s.endpoint(),
                s.layout(), s.profile(), java.util.Optional.empty(), false, s.timeout(), s.credentials(), s.options());
        assertThrows(StoreMisconfiguredException.class, () -> provider.open(noPath));
    }

    @Test
    void aShareThatDisappearsIsMisconfiguredNotAMissAndIsNotRecreated() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        ArtifactStore store = provider.open(RemoteSettings.filesystem(share));
        Files.delete(share);
        assertThrows(StoreMisconfiguredException.class, () -> store.load(key("a", 1), (in, size) -> { }));
        assertThrows(StoreMisconfiguredException.class, () -> store.contains(key("a", 1)));
        assertThrows(StoreMisconfiguredException.class, () -> store.list("a"));
        assertThrows(StoreMisconfiguredException.class,
                () -> store.store(key("a", 1), ArtifactSource.ofBytes(new byte[] {1})));
        assertFalse(Files.exists(share), "an unmounted share must not be replaced by a local directory");
    }

    @Test
    void aReadOnlyDirectoryRefusesWritesAsAccessDenied() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root ignores directory permissions; FilesystemErrorsTest covers the mapping");
        Path share = Files.createDirectories(tmp.resolve("share"));
        ArtifactStore store = provider.open(RemoteSettings.filesystem(share));
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            StoreAccessDeniedException e = assertThrows(StoreAccessDeniedException.class,
                    () -> store.store(key("a", 1), ArtifactSource.ofBytes(new byte[] {1})));
            assertTrue(e.location().startsWith(share.toString()), e.location());
            assertEquals("write", e.operation());
        } finally {
            Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void accessDeniedIsMappedWithPathAndOperation() {
        Path root = tmp.resolve("share");
        Path file = root.resolve("artifacts/a/x.tar.zst");
        StoreException e = new FilesystemErrors(root).map(new AccessDeniedException(file.toString()), file, "read");
        StoreAccessDeniedException denied = assertInstanceOf(StoreAccessDeniedException.class, e);
        assertEquals(file.toString(), denied.location());
        assertEquals("read", denied.operation());
        assertTrue(e.getMessage().contains("read on " + file), e.getMessage());
        assertFalse(e.isRetryable());
    }

    @Test
    void otherIoFailuresUnderAnExistingShareAreUnavailable() {
        StoreException e = new FilesystemErrors(tmp).map(new IOException("EIO"), tmp.resolve("x"), "read");
        assertInstanceOf(StoreUnavailableException.class, e);
        assertTrue(e.isRetryable());
    }

    @Test
    void theProviderIsFilesystemWithPriorityZeroAndDescribesWithoutWriting() {
        assertEquals("filesystem", provider.id());
        assertEquals("filesystem", provider.type());
        assertEquals(0, provider.priority());
        Map<String, String> d = provider.describe(RemoteSettings.filesystem(tmp.resolve("nowhere")));
        assertEquals(tmp.resolve("nowhere").toString(), d.get("path"));
        assertEquals("artifacts", d.get("prefix"));
        assertFalse(Files.exists(tmp.resolve("nowhere")));
    }

    @Test
    void theProviderIsFoundThroughServiceLoader() throws Exception {
        assertInstanceOf(FilesystemStoreProvider.class,
                io.kache.api.StoreProviders.discover().select("filesystem", java.util.Optional.empty()));
    }
}
