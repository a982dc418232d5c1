package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.Deadline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every scenario of {@link ClippyCargoIT} again, through the repository's {@code bin/kache}: the
 * native client and the kache server serve clippy's calls, and hand back what runs unchanged.
 */
class ServerClippyCargoIT extends ClippyCargoIT {

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

    /** Once the server listens, clippy's member calls are served by it, not a JVM each. */
    @Test
    void theServerServesClippysMembers() throws Exception {
        DemoWorkspace ws = workspace("ws");
        ws.cargo("clippy").assertOk("cold clippy");
        Path serverDir = tmp.resolve("server");
        Deadline.in(Duration.ofSeconds(60)).await("the server to listen", () -> ServerCargoIT.hasSocket(serverDir));
        // The clippy that starts the server may run its probes in the client while the server boots:
        // one more with the server up, which runs the target-info probe for its memo.
        ws.cargo("clean").assertOk("clean");
        ws.cargo("clippy").assertOk("clippy, the server up");
        Deadline.in(Duration.ofSeconds(60)).await("the target-info probe's answer to be remembered",
                () -> ServerCargoIT.targetInfoMemo(store.resolve("memos")).isPresent());

        ws.cargo("clean").assertOk("clean");
        CargoRun.Result warm = ws.cargo("clippy").assertOk("warm clippy");
        assertTrue(warm.stderr().contains("clippy::bool_comparison"), warm.stderr());
        String log = ServerCargoIT.serverLog(serverDir);
        for (String crate : new String[] {"app", "build_script_build", "core_lib", "macros"}) {
            assertTrue(log.lines().anyMatch(l -> l.startsWith("served ") && l.contains("clippy-driver ")
                    && l.contains("--crate-name " + crate + " ")), crate + " served: " + log);
        }
        assertTrue(log.lines().noneMatch(l -> l.startsWith("declined ")), "nothing left to a JVM: " + log);
        List<String> probes = log.lines().filter(l -> l.contains("clippy-driver ") && l.endsWith(" -vV")).toList();
        assertFalse(probes.isEmpty(), log);
        assertTrue(probes.stream().allMatch(l -> l.startsWith("answered ")),
                "clippy's `clippy-driver rustc -vV` probes are answered from the banner memo: " + log);
        List<String> targetInfo = log.lines().filter(l -> l.contains("clippy-driver ") && l.contains(" --crate-name ___ ")).toList();
        assertFalse(targetInfo.isEmpty(), log);
        assertTrue(targetInfo.get(targetInfo.size() - 1).startsWith("answered "),
                "after cargo clean, clippy's target-info probe is answered from the server's run of it: " + log);
    }

    /** Another workspace wrapper runs unchanged, started by the client itself: no JVM per call. */
    @Test
    void theServerHandsAnotherWorkspaceWrapperBack() throws Exception {
        DemoWorkspace ws = workspace("ws");
        Path wrapper = Files.createDirectories(tmp.resolve("opt")).resolve("my-workspace-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\nexec \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        ws.env.put("RUSTC_WORKSPACE_WRAPPER", wrapper.toString());
        ws.cargo("build").assertOk("build");
        Path serverDir = tmp.resolve("server");
        Deadline.in(Duration.ofSeconds(60)).await("the server to listen", () -> ServerCargoIT.hasSocket(serverDir));

        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("build again");
        assertEquals("Hello, kache generated=42 flavor=plain tokens=3\nmany tokens\n",
                ws.runApp(ws.dir.resolve("target"), "debug"));
        String log = ServerCargoIT.serverLog(serverDir);
        for (String crate : new String[] {"app", "build_script_build", "core_lib", "macros"}) {
            assertTrue(log.lines().anyMatch(l -> l.startsWith("handed back (" + OTHER_WRAPPER + ") "
                    + wrapper + " ") && l.contains("--crate-name " + crate + " ")), crate + " handed back: " + log);
        }
        assertTrue(log.lines().noneMatch(l -> l.startsWith("declined ")), "nothing left to a JVM: " + log);
    }
}
