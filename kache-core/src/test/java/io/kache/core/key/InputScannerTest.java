package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.PathSentinels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inputs are hashed at the paths rustc read them by, as the system resolves them. */
class InputScannerTest {

    @TempDir
    Path temp;

    /**
     * {@code include_str!("gen/../data.txt")} with {@code src/gen} a link elsewhere reads
     * elsewhere's {@code data.txt}, not {@code src/data.txt}: a lexical {@code ..} hashed the wrong
     * file, and a changed input then hit the old entry.
     */
    @Test
    void aParentStepAfterALinkFollowsTheLink() throws Exception {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere/sub"));
        Files.createDirectories(ws.resolve("src"));
        Files.createSymbolicLink(ws.resolve("src/gen"), elsewhere);
        Files.writeString(ws.resolve("src/data.txt"), "LEXICAL");
        Path real = Files.writeString(temp.resolve("elsewhere/data.txt"), "REAL-v1");
        KeyContext ctx = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)), Map.of(), ws, "",
                Optional.empty(), Sha256Files.HASHER);
        DepInfo dep = DepInfo.parse("out/app.d: src/main.rs src/gen/../data.txt\n\nsrc/main.rs:\nsrc/gen/../data.txt:\n");
        Files.writeString(ws.resolve("src/main.rs"), "fn main() {}");

        InputSet inputs = InputScanner.scan(dep, ctx);
        InputSet.InputFile data = inputs.files().stream().filter(f -> f.path().endsWith("data.txt")).findFirst()
                .orElseThrow();
        assertEquals(Sha256Files.HASHER.sha256(real), data.sha256(), "the file the link leads to");
        assertTrue(InputScanner.stillMatches(inputs, ctx));
        Files.writeString(real, "REAL-v2");
        assertFalse(InputScanner.stillMatches(inputs, ctx), "a change of the file rustc read is seen");
        Files.writeString(real, "REAL-v1");
        Files.writeString(ws.resolve("src/data.txt"), "LEXICAL-v2");
        assertTrue(InputScanner.stillMatches(inputs, ctx), "src/data.txt was never read");
    }

    /**
     * No listing under CARGO_HOME, though a registry crate's call directory, inside it, normalizes
     * through its own sentinel; and a source outside its package ({@code [lib] path =
     * "../shared/lib.rs"}) lists its own directory, not the one holding both (found by review: a file
     * touched there made the crate miss).
     */
    @Test
    void noListingUnderCargoHomeNorAboveThePackage() throws Exception {
        Path cargoHome = Files.createDirectories(temp.resolve("home/.cargo"));
        Path crate = Files.createDirectories(cargoHome.resolve("registry/src/idx/dep-1.0.0/src"));
        Files.writeString(crate.resolve("../Cargo.toml"), "[package]\n");
        Files.writeString(crate.resolve("lib.rs"), "");
        KeyContext registry = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", crate.getParent(),
                "cargo", cargoHome)), Map.of("CARGO_MANIFEST_DIR", crate.getParent().toString()), crate.getParent(), "",
                Optional.empty(), Sha256Files.HASHER);
        assertEquals(List.of(), listings(InputScanner.scan(DepInfo.parse("o.d: " + crate.resolve("lib.rs") + "\n"), registry)));

        Path proj = Files.createDirectories(temp.resolve("code/proj"));
        Path pkg = Files.createDirectories(proj.resolve("pkg"));
        Files.writeString(pkg.resolve("Cargo.toml"), "[package]\n");
        Files.createDirectories(proj.resolve("shared"));
        Files.writeString(proj.resolve("shared/lib.rs"), "");
        KeyContext outside = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", temp.resolve("code"))),
                Map.of("CARGO_MANIFEST_DIR", pkg.toString()), pkg, "", Optional.empty(), Sha256Files.HASHER);
        assertEquals(List.of("/@kache/ws/proj/pkg/../shared/*.rs/"),
                listings(InputScanner.scan(DepInfo.parse("o.d: ../shared/lib.rs\n"), outside)));
    }

    /**
     * An embedded directory of template projects, each with its Cargo.toml: the walk stops at the
     * compiled package's directory (CARGO_MANIFEST_DIR), not at the first Cargo.toml (found by a hunt:
     * a template project added to the directory was not embedded, and the old program was served).
     */
    @Test
    void aDirectoryHoldingAManifestBelowThePackageIsListedToo() throws Exception {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Path web = Files.createDirectories(ws.resolve("app/templates/web/src"));
        Files.writeString(ws.resolve("app/Cargo.toml"), "[package]\n");
        Files.writeString(web.resolve("../Cargo.toml"), "[package]\n");
        Files.writeString(web.resolve("main.rs"), "fn main() {}");
        KeyContext ctx = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)),
                Map.of("CARGO_MANIFEST_DIR", ws.resolve("app").toString()), ws, "", Optional.empty(), Sha256Files.HASHER);
        InputSet inputs = InputScanner.scan(DepInfo.parse("out/app.d: app/templates/web/Cargo.toml\n\n"
                + "app/templates/web/Cargo.toml:\n"), ctx);
        assertEquals(List.of("/@kache/ws/app/templates/", "/@kache/ws/app/templates/web/"), listings(inputs));
        Files.createDirectories(ws.resolve("app/templates/cli"));
        assertFalse(InputScanner.stillMatches(inputs, ctx), "a template project added is a miss");
    }

    /**
     * A proc macro that embeds a whole directory lists it, and the dep-info names only the files it
     * found: the directory of an input is keyed by the names it holds, so a file added there is a
     * miss. A source's too (automod::dir! emits a mod per file: found by a hunt). Not a package's own
     * directory (beside its Cargo.toml).
     */
    @Test
    void aDirectoryOfDataFilesIsKeyedByTheNamesItHolds() throws Exception {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Files.createDirectories(ws.resolve("app/assets"));
        Files.createDirectories(ws.resolve("app/src"));
        Files.writeString(ws.resolve("app/Cargo.toml"), "[package]\n");
        Files.writeString(ws.resolve("app/README.md"), "readme");
        Files.writeString(ws.resolve("app/src/main.rs"), "fn main() {}");
        Files.writeString(ws.resolve("app/assets/one.txt"), "one");
        KeyContext ctx = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)), Map.of(), ws, "",
                Optional.empty(), Sha256Files.HASHER);
        DepInfo dep = DepInfo.parse("out/app.d: app/src/main.rs app/assets/one.txt app/README.md\n\n"
                + "app/src/main.rs:\napp/assets/one.txt:\napp/README.md:\n");
        InputSet inputs = InputScanner.scan(dep, ctx);
        assertEquals(List.of("/@kache/ws/app/assets/", "/@kache/ws/app/src/*.rs/"), listings(inputs),
                "the data's directory, the sources' .rs names, not the package's directory");
        assertTrue(InputScanner.stillMatches(inputs, ctx));

        Files.writeString(ws.resolve("app/assets/two.txt"), "two");
        assertFalse(InputScanner.stillMatches(inputs, ctx), "a file added to the directory is a miss");
        Files.delete(ws.resolve("app/assets/two.txt"));
        assertTrue(InputScanner.stillMatches(inputs, ctx));
        Files.createDirectories(ws.resolve("app/assets/more"));
        assertFalse(InputScanner.stillMatches(inputs, ctx), "a directory added too");
        Files.delete(ws.resolve("app/assets/more"));

        Files.writeString(ws.resolve("app/NOTES.md"), "beside the manifest");
        assertTrue(InputScanner.stillMatches(inputs, ctx), "the package's directory is not listed");
        assertEquals(CacheKeyRecipe.entryKey("k", inputs), CacheKeyRecipe.entryKey("k", InputScanner.scan(dep, ctx)));
        Files.writeString(ws.resolve("app/src/case_c.rs"), "");
        assertFalse(InputScanner.stillMatches(inputs, ctx), "a source file added beside the crate's is a miss");
        Files.delete(ws.resolve("app/src/case_c.rs"));
        for (String other : List.of(".main.rs.swp", "4913", "#main.rs#", ".#main.rs", "main.rs~", "main.rs.orig",
                ".lib.rs.kate-swp", "lib.rs___jb_tmp___", "sedX1b2c3", ".DS_Store", "notes.md")) {
            Files.writeString(ws.resolve("app/src/" + other), "");
        }
        Files.createDirectories(ws.resolve("app/src/empty"));
        assertTrue(InputScanner.stillMatches(inputs, ctx), "only the .rs names of the sources' directory count:"
                + " an editor's or a tool's files beside a source are no miss");
        Files.writeString(ws.resolve("app/assets/.one.txt.swp"), "");
        assertFalse(InputScanner.stillMatches(inputs, ctx), "an embedded data directory is listed whole");
        Files.delete(ws.resolve("app/assets/.one.txt.swp"));

        Files.createDirectories(ws.resolve("app/assets/css"));
        Files.writeString(ws.resolve("app/assets/css/a.css"), "a");
        DepInfo nested = DepInfo.parse("out/app.d: app/src/main.rs app/assets/css/a.css\n\n"
                + "app/src/main.rs:\napp/assets/css/a.css:\n");
        InputSet tree = InputScanner.scan(nested, ctx);
        assertEquals(List.of("/@kache/ws/app/assets/", "/@kache/ws/app/assets/css/", "/@kache/ws/app/src/*.rs/"), listings(tree),
                "every directory up to the package's: an embedding macro walks the whole tree");
        Files.createDirectories(ws.resolve("app/assets/img"));
        assertFalse(InputScanner.stillMatches(tree, ctx), "a subdirectory added beside css/ is a miss");
        Files.delete(ws.resolve("app/assets/img"));
        Files.delete(ws.resolve("app/assets/css/a.css"));
        Files.delete(ws.resolve("app/assets/css"));

        // A data file beside the crate's sources (include_str!("greeting.txt") in src/): its directory is
        // listed though a source of the same directory came first, and the set still matches.
        Files.writeString(ws.resolve("app/src/greeting.txt"), "hello");
        DepInfo beside = DepInfo.parse("out/app.d: app/src/main.rs app/src/greeting.txt\n\n"
                + "app/src/main.rs:\napp/src/greeting.txt:\n");
        InputSet besideSources = InputScanner.scan(beside, ctx);
        assertTrue(besideSources.files().stream().anyMatch(f -> f.path().equals("/@kache/ws/app/src/")));
        assertTrue(InputScanner.stillMatches(besideSources, ctx), "served again: a hit");
        Files.delete(ws.resolve("app/src/greeting.txt"));

        InputSet olderKaches = new InputSet(inputs.files().stream().filter(f -> !DirectoryListings.isListing(f.path()))
                .toList(), inputs.env(), inputs.absent(), inputs.roots());
        assertFalse(InputScanner.stillMatches(olderKaches, ctx), "an input set recorded without the listing compiles once");
    }

    /** The listing inputs of {@code set}, in its order. */
    private static List<String> listings(InputSet set) {
        return set.files().stream().map(InputSet.InputFile::path).filter(DirectoryListings::isListing).toList();
    }
}
