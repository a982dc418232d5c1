package io.kache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.Test;

class StoreProvidersTest {

    private record Fake(String id, String type, int priority) implements ArtifactStoreProvider {
        @Override
        public ArtifactStore open(RemoteSettings settings) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> describe(RemoteSettings settings) {
            return Map.of();
        }
    }

    private static final Fake AWS = new Fake("s3-aws", "s3", 100);
    private static final Fake MINIO = new Fake("s3-minio", "s3", 50);
    private static final Fake FS = new Fake("filesystem", "filesystem", 0);

    @Test
    void theOnlyProviderOfATypeIsChosen() throws Exception {
        assertEquals(FS, StoreProviders.of(List.of(AWS, FS)).select("filesystem", Optional.empty()));
    }

    @Test
    void theHighestPriorityWinsAndClassPathOrderNeverDecides() throws Exception {
        assertEquals(AWS, StoreProviders.of(List.of(AWS, MINIO)).select("s3", Optional.empty()));
        assertEquals(AWS, StoreProviders.of(List.of(MINIO, AWS)).select("s3", Optional.empty()));
    }

    @Test
    void anExplicitClientWins() throws Exception {
        assertEquals(MINIO, StoreProviders.of(List.of(AWS, MINIO)).select("s3", Optional.of("s3-minio")));
    }

    @Test
    void aTieIsAnErrorThatNamesBoth() {
        Fake other = new Fake("s3-other", "s3", 100);
        NoSuchProviderException e = assertThrows(NoSuchProviderException.class,
                () -> StoreProviders.of(List.of(AWS, other)).select("s3", Optional.empty()));
        assertTrue(e.getMessage().contains("s3-aws") && e.getMessage().contains("s3-other"), e.getMessage());
        assertTrue(e.getMessage().contains("client"), e.getMessage());
    }

    @Test
    void anUnknownTypeOrIdListsWhatIsAvailable() {
        StoreProviders providers = StoreProviders.of(List.of(AWS, FS));
        NoSuchProviderException type = assertThrows(NoSuchProviderException.class,
                () -> providers.select("gcs", Optional.empty()));
        assertTrue(type.getMessage().contains("gcs") && type.getMessage().contains("s3-aws (type s3, priority 100)")
                && type.getMessage().contains("filesystem"), type.getMessage());
        NoSuchProviderException id = assertThrows(NoSuchProviderException.class,
                () -> providers.select("s3", Optional.of("s3-minio")));
        assertTrue(id.getMessage().contains("s3-minio") && id.getMessage().contains("available"), id.getMessage());
        NoSuchProviderException wrongType = assertThrows(NoSuchProviderException.class,
                () -> providers.select("s3", Optional.of("filesystem")));
        assertTrue(wrongType.getMessage().contains("serves type 'filesystem'"), wrongType.getMessage());
    }

    @Test
    void aBrokenProviderIsReportedWithoutHidingTheOthers() {
        Iterator<ArtifactStoreProvider> loader = new Iterator<>() {
            private int step;

            @Override
            public boolean hasNext() {
                return step < 3;
            }

            @Override
            public ArtifactStoreProvider next() {
                switch (step++) {
                    case 0:
                        return AWS;
                    case 1:
                        throw new ServiceConfigurationError("io.kache.api.ArtifactStoreProvider: Provider"
                                + " com.example.Broken could not be instantiated");
                    case 2:
                        return FS;
                    default:
                        throw new NoSuchElementException();
                }
            }
        };
        StoreProviders providers = StoreProviders.from(loader);
        assertEquals(List.of(AWS, FS), providers.all());
        assertEquals(1, providers.broken().size());
        NoSuchProviderException e = assertThrows(NoSuchProviderException.class,
                () -> providers.select("gcs", Optional.empty()));
        assertTrue(e.getMessage().contains("com.example.Broken"), e.getMessage());
    }
}
