package io.kache.testkit.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.kache.dir.DirStoreProvider;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreProviders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises about the example backend beyond the contract: its services file makes
 * {@code type = "dir"} (or {@code client = "dir"}) select it, and bad settings are refused clearly.
 */
class DirStoreDiscoveryTest {

    @Test
    void theServicesFileMakesTypeDirSelectTheExample() throws Exception {
        StoreProviders providers = StoreProviders.discover(DirStoreDiscoveryTest.class.getClassLoader());
        assertEquals(List.of(), providers.broken());
        assertInstanceOf(DirStoreProvider.class, providers.select("dir", Optional.empty()));
        assertInstanceOf(DirStoreProvider.class, providers.select("dir", Optional.of("dir")));
    }

    @Test
    void aPathThatIsNotADirectoryIsMisconfigured(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                () -> new DirStoreProvider().open(dirSettings(Optional.of(file))));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aMissingPathNamesTheSetting() {
        StoreMisconfiguredException e = assertThrows(StoreMisconfiguredException.class,
                () -> new DirStoreProvider().open(dirSettings(Optional.empty())));
        assertTrue(e.getMessage().contains("[cache.remote] path"), e.getMessage());
    }

    @Test
    void describeNamesClientPathAndPrefix(@TempDir Path dir) {
        ArtifactStoreProvider provider = new DirStoreProvider();
        assertEquals(Map.of("client", "dir", "path", dir.toString(), "prefix", "artifacts"),
                provider.describe(dirSettings(Optional.of(dir))));
    }

    private static RemoteSettings dirSettings(Optional<Path> path) {
        return new RemoteSettings("dir", Optional.empty(), Optional.empty(), RemoteSettings.DEFAULT_REGION,
                Optional.empty(), ArtifactLayout.withDefaultPrefix(), Optional.empty(), path, false,
                RemoteSettings.DEFAULT_TIMEOUT, Optional.empty(), Map.of());
    }
}
