package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.hash.Sha256;
import io.kache.testkit.SpyRustc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry crate on a fresh runner: cargo unpacks it into an empty {@code CARGO_HOME} just before
 * compiling it, its files' mtimes whole seconds from the archive and their ctimes the kernel's. It is
 * stored, and the next fresh runner is served it (found by review: judged by its round mtime, the
 * crate counted as changed while rustc ran and was never stored). A local registry of a
 * {@code cargo package}d crate stands in for crates.io, which this machine cannot reach.
 */
class RegistryCrateCargoIT {

    @TempDir
    Path tmp;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }

    @Test
    void aCrateUnpackedIntoAFreshCargoHomeIsStoredAndServedToTheNext() throws Exception {
        Path registry = localRegistry();
        Path kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        SpyRustc spy = SpyRustc.create(tmp.resolve("spy"));
        SmallWorkspace app = SmallWorkspace.write(tmp.resolve("app"), Map.of(
                "Cargo.toml", SmallWorkspace.manifest("app", "[dependencies]\nleafa = \"0.1\"\n"),
                "src/main.rs", "fn main() { println!(\"{}\", leafa::answer()); }\n",
                ".cargo/config.toml", "[source.crates-io]\nreplace-with = \"local\"\n[source.local]\n"
                        + "local-registry = \"" + registry + "\"\n"),
                kache, spy, tmp.resolve("store"), Files.createDirectories(tmp.resolve("xdg")));
        for (String runner : List.of("first", "second")) {
            Map<String, String> fresh = new HashMap<>(Map.of("CARGO_HOME", tmp.resolve("home-" + runner).toString(),
                    "RUSTUP_HOME", Path.of(System.getProperty("user.home"), ".rustup").toString()));
            app.cargo(fresh, "build", "--offline").assertOk(runner + " runner's build");
            assertEquals("42\n", app.run(app.dir.resolve("target/debug/app")));
            CargoRun.cargo(app.dir, Map.of(), "clean").assertOk("clean");
        }
        assertEquals(List.of("app", "leafa"), spy.takeCompiled().stream().sorted().toList(),
                "the first runner compiled both and stored them, the second was served both");
    }

    /** A local registry holding {@code leafa 0.1.0}, packaged by cargo. */
    private Path localRegistry() throws Exception {
        Path src = tmp.resolve("leafa");
        Files.createDirectories(src.resolve("src"));
        Files.writeString(src.resolve("Cargo.toml"), SmallWorkspace.manifest("leafa",
                "description = \"a leaf\"\nlicense = \"MIT\"\n"));
        Files.writeString(src.resolve("src/lib.rs"), "pub fn answer() -> u32 {\n    42\n}\n");
        CargoRun.cargo(src, Map.of(), "package", "--allow-dirty", "--no-verify", "--offline").assertOk("cargo package");
        Path registry = Files.createDirectories(tmp.resolve("registry/index/le/af")).getParent().getParent().getParent();
        Path crate = Files.copy(src.resolve("target/package/leafa-0.1.0.crate"), registry.resolve("leafa-0.1.0.crate"));
        Files.writeString(registry.resolve("index/le/af/leafa"), "{\"name\":\"leafa\",\"vers\":\"0.1.0\",\"deps\":[],"
                + "\"cksum\":\"" + Sha256.of(Files.readAllBytes(crate)) + "\",\"features\":{},\"yanked\":false}\n");
        return registry;
    }
}
