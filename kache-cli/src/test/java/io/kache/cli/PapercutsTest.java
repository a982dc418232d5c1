package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kache.api.ArtifactKey;
import io.kache.core.entry.OutputFile;
import io.kache.core.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user tripped over in the commands, each fixed and held here. */
class PapercutsTest {

    @TempDir
    Path tmp;
    Map<String, String> env;
    Path store;
    ArtifactKey greetLib = new ArtifactKey("greet_lib", "a".repeat(64));

    @BeforeEach
    void setUp() throws Exception {
        store = tmp.resolve("store");
        env = new HashMap<>(Map.of("KACHE_CACHE_DIR", store.toString(), "HOME", tmp.toString(),
                "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()));
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            Path f = Files.writeString(tmp.resolve("libgreet_lib.rlib"), "rlib");
            s.put(greetLib, List.of(new OutputFile("libgreet_lib.rlib", f)), null, null, Map.of());
        }
    }

    private CliRun kache(String... args) {
        return CliRun.of(env, tmp, args);
    }

    @Test
    void helpNamesACommand() {
        CliRun help = kache("help", "sync");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().contains("Usage: kache sync"), help.out());
    }

    @Test
    void gcRefusesAZeroMaxAgeAndKeepsEveryEntry() {
        CliRun gc = kache("gc", "--max-age", "0s");
        assertEquals(2, gc.exit(), gc.toString());
        assertTrue(gc.err().contains("must be more than 0") && gc.err().contains("kache purge"), gc.err());
        assertTrue(kache("list").out().contains("greet_lib"), "nothing was removed");
    }

    @Test
    void listTakesAPackageNameWithADash() {
        CliRun list = kache("list", "greet-lib");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().contains("greet_lib") && list.out().contains("1 entry"), list.out());
    }

    @Test
    void statsAndListNeverCreateAMistypedStore() throws Exception {
        Path typo = tmp.resolve("stroe");
        env.put("KACHE_CACHE_DIR", typo.toString());
        CliRun stats = kache("stats");
        assertEquals(0, stats.exit(), stats.toString());
        assertTrue(stats.err().contains("no local store at " + typo), stats.err());
        assertTrue(stats.out().contains("entries          0"), stats.out());
        JsonNode json = new ObjectMapper().readTree(kache("stats", "--json").out());
        assertEquals(0, json.get("entries").asLong());
        assertEquals("[]", kache("list", "--json").out().strip());
        assertEquals("0 entries", kache("list").out().strip());
        assertFalse(Files.exists(typo), "no directory left behind");
    }

    @Test
    void configJsonGivesSizesAsNumbersOfBytes() throws Exception {
        env.put("KACHE_MAX_SIZE", "2GiB");
        JsonNode json = new ObjectMapper().readTree(kache("config", "--json").out());
        JsonNode size = json.get("cache.local_max_size").get("value");
        assertTrue(size.isNumber(), size.toString());
        assertEquals(2L << 30, size.asLong());
        assertTrue(json.get("cache.local_store").get("value").isTextual());
    }

    @Test
    void doctorOnADirectoryRemoteSpeaksOfThePrefixAndNeverOfS3() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path config = Files.writeString(tmp.resolve("remote.toml"),
                "[cache.remote]\ntype = \"filesystem\"\npath = \"" + share + "\"\n");
        env.put("KACHE_CONFIG", config.toString());
        CliRun ok = kache("doctor");
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.out().contains("(prefix artifacts)"), ok.out());
        assertFalse(ok.out().contains("ArtifactLayout"), "no Java toString: " + ok.out());

        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "x");
        Files.writeString(config, "[cache.remote]\ntype = \"filesystem\"\npath = \"" + notADirectory + "\"\n");
        CliRun broken = kache("doctor");
        assertEquals(1, broken.exit(), broken.toString());
        assertFalse(broken.out().contains("KACHE_S3") || broken.out().contains("s3:"),
                "a directory remote gets no S3 advice: " + broken.out());
    }

    @Test
    void readmeLinksResolveAndItsPolicyGrantsWhatDoctorDoes() throws Exception {
        Path repo = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        String readme = Files.readString(repo.resolve("README.md"));
        Matcher links = Pattern.compile("\\]\\(([^)#:]+)(#[^)]*)?\\)").matcher(readme);
        int checked = 0;
        while (links.find()) {
            assertTrue(Files.exists(repo.resolve(links.group(1))), "README links to " + links.group(1));
            checked++;
        }
        assertTrue(checked > 0);
        assertTrue(readme.contains("\"Action\": \"s3:DeleteObject\",\n      \"Resource\": \"arn:aws:s3:::my-build-cache/"
                + "artifacts/" + RemoteProbe.PROBE_CRATE + "/*\""), "doctor deletes its probe: the policy allows it");
    }

    @Test
    void readmeSaysWhatToDoWhenItMisses() throws Exception {
        Path repo = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        String readme = Files.readString(repo.resolve("README.md"));
        int at = readme.indexOf("\n## When it misses\n");
        assertTrue(at > 0, "the README has a When it misses section");
        String section = readme.substring(at, readme.indexOf("\n## ", at + 1));
        for (String named : List.of("kache why-miss CRATE", "kache report", "RUSTFLAGS", "cargo check", "Features",
                "toolchain", "Evicted")) {
            assertTrue(section.contains(named), "the section names " + named);
        }
        // The command it shows exists and answers for a crate that never missed.
        CliRun none = kache("why-miss", "greet-lib");
        assertEquals(0, none.exit(), none.toString());
        assertTrue(none.out().contains("kache recorded no miss of greet_lib"), none.out());
    }
}
