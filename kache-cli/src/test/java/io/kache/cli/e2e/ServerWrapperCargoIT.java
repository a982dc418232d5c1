package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every scenario of {@link WrapperCargoIT} again, through the repository's {@code bin/kache}: the
 * native client and the kache server serve the compiles, a JVM only what the server declines.
 */
class ServerWrapperCargoIT extends WrapperCargoIT {

    @Override
    Path launcher(Path binDir) {
        return KacheLauncher.repositoryLauncher();
    }

    @AfterEach
    void awaitTheServer() throws InterruptedException {
        KacheLauncher.awaitOwnServer(tmp);
    }

    @Override
    Map<String, String> launcherEnv() {
        return KacheLauncher.ownServer(tmp);
    }

    /** The launcher hands a compiler of any name to the server, which serves it when it is rustc. */
    @Test
    void theServerServesARustcNotNamedRustc() throws Exception {
        SpyRustc shim = SpyRustc.create(tmp.resolve("opt/tools"), "my-compiler");
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), launcher(tmp), shim, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(launcherEnv());
        ws.cargo("build").assertOk("cold build");
        shim.takeCompiled();
        Path serverDir = tmp.resolve("server");
        Deadline.in(Duration.ofSeconds(60)).await("the server to listen", () -> ServerCargoIT.hasSocket(serverDir));

        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("warm build");
        assertEquals(List.of(), shim.takeCompiled());
        String log = ServerCargoIT.serverLog(serverDir);
        for (String crate : List.of("app", "build_script_build", "core_lib", "macros")) {
            assertTrue(log.lines().anyMatch(l -> l.startsWith("served " + shim.path() + " ")
                    && l.contains("--crate-name " + crate + " ")), crate + " served: " + log);
        }
    }
}
