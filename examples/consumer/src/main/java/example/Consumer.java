package example;

import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.StoreProviders;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.KacheConfig;
import io.kache.core.remote.RemoteStores;
import java.nio.file.Path;
import java.util.Map;

/** Opens the remote a kache configuration names, through the backend found on the class path. */
public final class Consumer {

    private Consumer() {
    }

    public static void main(String[] args) throws Exception {
        for (ArtifactStoreProvider p : StoreProviders.discover().all()) {
            System.out.println("provider " + p.id() + " for " + p.type());
        }
        Map<String, String> env = System.getenv();
        KacheConfig config = ConfigLoader.load(env, Path.of("").toAbsolutePath());
        try (ArtifactStore remote = RemoteStores.open(config, env)
                .orElseThrow(() -> new IllegalStateException("no remote configured"))) {
            System.out.println("remote " + remote);
        }
    }
}
