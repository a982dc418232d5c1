package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After {@code kache init}, a plain {@code cargo build} (no RUSTC_WRAPPER anywhere) goes through kache. */
class InitCargoIT {

    static final List<String> ALL_CRATES = List.of("app", "build_script_build", "core_lib", "macros");

    @TempDir
    Path tmp;

    @Test
    void cargoUsesKacheThroughItsConfigAlone() throws Exception {
        Assumptions.assumeTrue(System.getenv("RUSTC_WRAPPER") == null,
                "RUSTC_WRAPPER is set for the test JVM and would override cargo's config");
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("kache bin")));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        Path cargoHome = Files.createDirectories(tmp.resolve("cargo home"));
        DemoWorkspace ws = DemoWorkspace.copyTo(tmp.resolve("ws"), kache, spy, tmp.resolve("store"),
                Files.createDirectories(tmp.resolve("xdg")));
        ws.env.remove("RUSTC_WRAPPER");
        ws.env.put("CARGO_HOME", cargoHome.toString());

        CargoRun.Result init = CargoRun.run(ws.dir, ws.env, kache.toString(), "init").assertOk("kache init");
        assertTrue(init.stdout().contains("set build.rustc-wrapper = \"" + kache + "\""), init.stdout());

        ws.cargo("build").assertOk("cold build");
        assertEquals(ALL_CRATES, spy.takeCompiled());
        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("warm build");
        assertEquals(List.of(), spy.takeCompiled(), "every crate hits: cargo called rustc through kache");
        String stats = CargoRun.run(ws.dir, ws.env, kache.toString(), "stats").assertOk("stats").stdout();
        assertTrue(stats.contains("hits"), stats);

        CargoRun.run(ws.dir, ws.env, kache.toString(), "init", "--uninstall").assertOk("kache init --uninstall");
        ws.cargo("clean").assertOk("clean");
        ws.cargo("build").assertOk("build without kache");
        assertEquals(ALL_CRATES, spy.takeCompiled(), "without the setting cargo calls rustc directly");
        assertEquals("", Files.readString(cargoHome.resolve("config.toml")));
    }
}
