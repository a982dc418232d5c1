package io.kache.core.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.remote.RemoteDestination;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UploaderLauncherTest {

    private static final RemoteDestination TO = new RemoteDestination("0123456789abcdef");
    private static final Path FILE = Path.of("/work/project/.kache.toml");

    @Test
    void theUploaderReadsTheRemoteAndTheFileItWasStartedWith() {
        UploaderLauncher.Launch launch = new UploaderLauncher.Launch(TO, Optional.of(FILE));
        assertEquals(launch, UploaderLauncher.Launch.parse(launch.args().toArray(String[]::new)));
        UploaderLauncher.Launch noFile = new UploaderLauncher.Launch(TO, Optional.empty());
        assertEquals(noFile, UploaderLauncher.Launch.parse(noFile.args().toArray(String[]::new)));
    }

    @Test
    void theCallsFileIsTheConfigFileOfTheUploader() {
        Map<String, String> env = Map.of("HOME", "/home/u", "KACHE_CONFIG", "");
        assertEquals(Map.of("HOME", "/home/u", "KACHE_CONFIG", FILE.toString()),
                new UploaderLauncher.Launch(TO, Optional.of(FILE)).configEnv(env));
    }

    @Test
    void aKacheConfigTheUserSetStaysAsItWas() {
        Map<String, String> env = Map.of("KACHE_CONFIG", "conf/kache.toml");
        assertEquals(env, new UploaderLauncher.Launch(TO, Optional.of(FILE)).configEnv(env));
    }

    @Test
    void withoutAFileTheEnvironmentIsUnchanged() {
        Map<String, String> env = Map.of("HOME", "/home/u");
        assertEquals(env, new UploaderLauncher.Launch(TO, Optional.empty()).configEnv(env));
    }
}
