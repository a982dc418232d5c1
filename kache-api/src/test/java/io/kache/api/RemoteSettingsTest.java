package io.kache.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteSettingsTest {

    private static final RemoteSettings SHARED_DIR = RemoteSettings.filesystem(Path.of("/shared/cache"));

    @Test
    void withEndpointChangesTheEndpointAlone() {
        URI proxy = URI.create("http://127.0.0.1:9000");
        RemoteSettings moved = SHARED_DIR.withEndpoint(proxy);
        assertEquals(Optional.of(proxy), moved.endpoint());
        assertEquals(SHARED_DIR, new RemoteSettings(moved.type(), moved.client(), moved.bucket(), moved.region(),
                SHARED_DIR.endpoint(), moved.layout(), moved.profile(), moved.path(), moved.readOnly(), moved.timeout(),
                moved.credentials(), moved.options()));
    }

    @Test
    void withReadOnlyChangesTheFlagAlone() {
        RemoteSettings readOnly = SHARED_DIR.withReadOnly(true);
        assertEquals(true, readOnly.readOnly());
        assertEquals(SHARED_DIR, readOnly.withReadOnly(false));
    }
}
