package io.kache.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3CredentialsTest {

    @Test
    void toStringNeverShowsTheSecretOrTheToken() {
        String shown = new S3Credentials("AKID", "the-secret", Optional.of("the-token"), "env").toString();
        assertFalse(shown.contains("the-secret") || shown.contains("the-token"), shown);
        assertTrue(shown.contains("env"), shown);
    }
}
