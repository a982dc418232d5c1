package io.kache.core.remote.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.api.S3Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** For every combination of sources present, the first present link of the chain wins. */
class CredentialOrderProperties {

    private Path dir;

    @BeforeProperty
    void createDir() throws IOException {
        dir = Files.createTempDirectory("kache-cred-order");
    }

    @AfterProperty
    void deleteDir() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 64)
    void firstPresentLinkWins(@ForAll boolean kachePair, @ForAll boolean kacheHalf, @ForAll boolean namedProfile,
            @ForAll boolean profileFromEnv, @ForAll boolean awsPair, @ForAll boolean defaultProfile)
            throws IOException {
        Map<String, String> env = new HashMap<>();
        Path credentials = dir.resolve("credentials");
        StringBuilder ini = new StringBuilder();
        if (namedProfile) {
            ini.append("[named]\naws_access_key_id = AKIDNAMED\naws_secret_access_key = s\n");
        }
        if (defaultProfile) {
            ini.append("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n");
        }
        Files.writeString(credentials, ini);
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        env.put("AWS_CONFIG_FILE", dir.resolve("absent").toString());
        if (kachePair) {
            env.put("KACHE_S3_ACCESS_KEY", "AKIDKACHE");
            env.put("KACHE_S3_SECRET_KEY", "s");
        } else if (kacheHalf) {
            env.put("KACHE_S3_ACCESS_KEY", "AKIDHALF");
        }
        Optional<String> configProfile = Optional.empty();
        if (profileFromEnv) {
            env.put("KACHE_S3_PROFILE", "named");
        } else {
            configProfile = Optional.of("named");
        }
        if (awsPair) {
            env.put("AWS_ACCESS_KEY_ID", "AKIDAWS");
            env.put("AWS_SECRET_ACCESS_KEY", "s");
        }
        String expected = kachePair ? "AKIDKACHE" : namedProfile ? "AKIDNAMED" : awsPair ? "AKIDAWS"
                : defaultProfile ? "AKIDDEFAULT" : "<instance role>";
        CredentialResolution r = S3CredentialChain.resolve(env, configProfile);
        assertEquals(expected, r.credentials().map(S3Credentials::accessKeyId).orElse("<instance role>"));
        assertEquals(!kachePair && kacheHalf,
                r.warnings().stream().anyMatch(w -> w.startsWith("KACHE_S3_ACCESS_KEY is set")), r.warnings().toString());
    }
}
