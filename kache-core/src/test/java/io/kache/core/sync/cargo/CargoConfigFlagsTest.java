package io.kache.core.sync.cargo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CargoConfigFlagsTest {

    @TempDir
    Path tmp;

    @Test
    void configRustflagsOfTheWorkspaceItsParentsAndTheHomeTellBuildsApart() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("repo/ws"));
        Map<String, String> env = Map.of("CARGO_HOME", tmp.resolve("cargo-home").toString());
        assertEquals("none", CargoConfigFlags.digest(ws, env));
        Files.createDirectories(ws.resolve(".cargo"));
        Files.writeString(ws.resolve(".cargo/config.toml"), "[net]\nretry = 3\n");
        assertEquals("none", CargoConfigFlags.digest(ws, env), "other settings are not flags");
        Files.writeString(ws.resolve(".cargo/config.toml"), "[build]\nrustflags = [\"-C\", \"debug-assertions=off\"]\n");
        String build = CargoConfigFlags.digest(ws, env);
        assertNotEquals("none", build);
        assertEquals(build, CargoConfigFlags.digest(ws, env), "the same configuration, the same digest");
        Files.writeString(ws.resolve(".cargo/config.toml"), "[build]\nrustflags = \"-C  debug-assertions=on\"\n");
        String other = CargoConfigFlags.digest(ws, env);
        assertNotEquals(build, other);
        Files.createDirectories(tmp.resolve("repo/.cargo"));
        Files.writeString(tmp.resolve("repo/.cargo/config.toml"),
                "[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-C\", \"target-cpu=native\"]\n");
        String withParent = CargoConfigFlags.digest(ws, env);
        assertNotEquals(other, withParent, "a parent directory's configuration counts");
        Files.createDirectories(tmp.resolve("cargo-home"));
        Files.writeString(tmp.resolve("cargo-home/config.toml"), "[build]\nrustflags = [\"-Dwarnings\"]\n");
        assertNotEquals(withParent, CargoConfigFlags.digest(ws, env), "so does $CARGO_HOME's");
        assertNotEquals(CargoConfigFlags.digest(ws, env), CargoConfigFlags.digest(ws,
                Map.of("CARGO_HOME", tmp.resolve("cargo-home").toString(), "CARGO_BUILD_RUSTFLAGS", "-Copt-level=1")));
        Files.writeString(tmp.resolve("repo/.cargo/config.toml"), "[target\nbroken");
        CargoConfigFlags.digest(ws, env); // an unparsable file is left out, never an error
    }
}
