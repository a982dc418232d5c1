package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kache.core.wrapper.RustcWrapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no locale set, as in many containers: Java hands a process its paths, arguments and
 * environment in the locale's charset, ASCII there, and kache's rustc got {@code Gr??e} for an
 * {@code env!()} value and {@code caf??} for its directory (found by review: wrong programs, and a
 * failed build in a checkout whose path is not ASCII). Through the repository's {@code bin/kache},
 * with the server and with a JVM per call, the program is the one plain cargo builds, on a miss and
 * on a hit.
 */
class LocaleCargoIT {

    private static final Set<String> NO_LOCALE = Set.of("LANG", "LC_ALL", "LC_CTYPE", "LANGUAGE");

    @TempDir
    Path tmp;

    @AfterEach
    void stopTheServer() throws InterruptedException {
        KacheLauncher.awaitOwnServer(tmp);
    }

    @Test
    void nonAsciiPathsAndValuesReachRustcUnchangedWithoutALocale() throws Exception {
        Path kache = KacheLauncher.repositoryLauncher();
        Path ws = Files.createDirectories(tmp.resolve("café proj/app/src"));
        Files.writeString(ws.resolveSibling("Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\ndescription = \"Grüße\"\n");
        Files.writeString(ws.resolve("main.rs"), "fn main() {\n    println!(\"{} {}\", env!(\"CARGO_PKG_DESCRIPTION\"),"
                + " option_env!(\"GREET\").unwrap_or(\"none\"));\n}\n");
        Path project = ws.getParent();
        String expected = "Grüße héllo wörld\n";
        Map<String, String> plain = Map.of("GREET", "héllo wörld", "CARGO_TERM_COLOR", "never");
        CargoRun.run(project, plain, NO_LOCALE, "cargo", "build").assertOk("plain cargo");
        assertEquals(expected, program(project));

        Map<String, String> withKache = new HashMap<>(plain);
        withKache.put("RUSTC_WRAPPER", kache.toString());
        withKache.put("KACHE_CACHE_DIR", tmp.resolve("store").toString());
        withKache.put("XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString());
        withKache.putAll(KacheLauncher.ownServer(tmp));
        for (String mode : new String[] {"0", "1", "0"}) {
            withKache.put("KACHE_NO_SERVER", mode);
            CargoRun.run(project, Map.of(), NO_LOCALE, "cargo", "clean").assertOk("clean");
            CargoRun.run(project, withKache, NO_LOCALE, "cargo", "build")
                    .assertOk("kache, " + (mode.equals("1") ? "a JVM per call" : "the server"));
            assertEquals(expected, program(project), "KACHE_NO_SERVER=" + mode);
        }
    }

    /**
     * A variable that is not valid UTF-8: rustc refuses it for option_env!, and so must a build through
     * the server, which got it with a replacement character and compiled (found by review).
     */
    @Test
    void aValueThatIsNotUtf8FailsAsWithPlainCargo() throws Exception {
        Path project = binary("stray", "fn main() { println!(\"{:?}\", option_env!(\"GREET\")); }\n");
        String build = "GREET=\"$(printf 'ab\\377cd')\" exec cargo build";
        CargoRun.Result plain = CargoRun.run(project, Map.of("CARGO_TERM_COLOR", "never"), Set.of(), "sh", "-c", build);
        Map<String, String> withKache = throughTheServer(KacheLauncher.repositoryLauncher());
        assertNotEquals(0, plain.exitCode(), plain.stderr());
        assertTrue(plain.stderr().contains("not a valid Unicode string"), plain.stderr());
        // In a JVM per call too: Java handed rustc the value decoded, with U+FFFD, and it compiled.
        for (String noServer : new String[] {"0", "1"}) {
            withKache.put("KACHE_NO_SERVER", noServer);
            CargoRun.run(project, Map.of(), Set.of(), "cargo", "clean").assertOk("clean");
            CargoRun.Result cached = CargoRun.run(project, withKache, Set.of(), "sh", "-c", build);
            assertEquals(plain.exitCode(), cached.exitCode(), "KACHE_NO_SERVER=" + noServer + ": " + cached.stderr());
            assertTrue(cached.stderr().contains("not a valid Unicode string"), cached.stderr());
        }
    }

    /**
     * A stray byte in a variable no crate reads leaves every call of the build uncached through the
     * server (it cannot pass the value on as it is): the build still works, and the user hears why
     * once, by the variable's name, and {@code kache stats} counts it (it was silent, found by review).
     */
    @Test
    void aStrayByteInAnUnreadVariableIsSaidOnceAndCounted() throws Exception {
        Path kache = KacheLauncher.repositoryLauncher();
        Path project = binary("unread", "fn main() { println!(\"hi\"); }\n");
        Map<String, String> withKache = throughTheServer(kache);
        CargoRun.Result cached = CargoRun.run(project, withKache, Set.of(), "sh", "-c",
                "STRAY_SETTING=\"$(printf 'secret\\377value')\" exec cargo build");
        cached.assertOk("a stray byte in a variable no crate reads");
        List<String> said = cached.stderr().lines().filter(l -> l.startsWith("warning: kache:")).toList();
        assertEquals(1, said.size(), cached.stderr());
        assertTrue(said.get(0).contains("the environment variable STRAY_SETTING is not valid UTF-8"), said.get(0));
        assertFalse(cached.stderr().contains("secret"), "the value is never shown:\n" + cached.stderr());
        JsonNode stats = new ObjectMapper().readTree(CargoRun.run(project, withKache, Set.of(), kache.toString(),
                "stats", "--json").assertOk("stats").stdout());
        assertTrue(stats.get("passthroughReasons").path(RustcWrapper.NOT_UTF8).asInt() >= 1,
                "the compile is counted: " + stats);
    }

    /** A package {@code name} in the temp dir whose {@code src/main.rs} is {@code main}. */
    private Path binary(String name, String main) throws IOException {
        Path project = Files.createDirectories(tmp.resolve(name + "/src")).getParent();
        Files.writeString(project.resolve("Cargo.toml"), "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\n");
        Files.writeString(project.resolve("src/main.rs"), main);
        return project;
    }

    /** A build's environment through {@code kache} and a server of this test's own, on a store of its own. */
    private Map<String, String> throughTheServer(Path kache) throws IOException {
        Map<String, String> withKache = new HashMap<>(Map.of("CARGO_TERM_COLOR", "never",
                "RUSTC_WRAPPER", kache.toString(), "KACHE_CACHE_DIR", tmp.resolve("store").toString(),
                "XDG_CONFIG_HOME", Files.createDirectories(tmp.resolve("xdg")).toString()));
        withKache.putAll(KacheLauncher.ownServer(tmp));
        return withKache;
    }

    private static String program(Path project) throws Exception {
        return CargoRun.run(project, Map.of(), NO_LOCALE, project.resolve("target/debug/app").toString())
                .assertOk("app").stdout();
    }
}
