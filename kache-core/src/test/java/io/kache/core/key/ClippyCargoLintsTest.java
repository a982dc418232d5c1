package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * clippy's cargo lints read every manifest of the workspace, which no key holds: a clippy-driver
 * call that may enable one, by its arguments, {@code CLIPPY_ARGS} or its crate root, is told apart,
 * in every spelling rustc accepts; other lints are not.
 */
class ClippyCargoLintsTest {

    private static final List<String> BASE = List.of("--crate-name", "x", "--edition=2021", "x/src/lib.rs",
            "--crate-type", "lib", "--emit=dep-info,metadata", "-W", "clippy::pedantic", "--cap-lints", "warn");

    @TempDir
    Path temp;

    @Test
    void eachSpellingOfALevelFlagInTheArgumentsIsFound() throws IOException {
        Path root = root("pub fn f() {}\n");
        List<List<String>> spellings = List.of(
                List.of("-W", "clippy::cargo"), List.of("-Dclippy::cargo"), List.of("-F", "clippy::cargo"),
                List.of("--warn=clippy::cargo"), List.of("--deny", "clippy::cargo"), List.of("--forbid=clippy::cargo"),
                List.of("--force-warn", "clippy::cargo"), List.of("-D", "CLIPPY::CARGO"),
                List.of("-D", "clippy::cargo_common_metadata"), List.of("-D", "clippy::cargo-common-metadata"),
                List.of("-W", "clippy::multiple_crate_versions"), List.of("-W", "clippy::negative_feature_names"),
                List.of("-W", "clippy::redundant-feature-names"), List.of("--deny=clippy::wildcard_dependencies"),
                List.of("-Zcrate-attr=deny(clippy::cargo)"));
        for (List<String> spelling : spellings) {
            List<String> args = new ArrayList<>(BASE);
            args.addAll(spelling);
            Optional<String> found = ClippyCargoLints.enabledBy(args, Map.of(), root);
            assertTrue(found.isPresent() && found.get().startsWith("argument "), spelling + ": " + found);
        }
    }

    @Test
    void cargoClippysArgumentsAreFoundInClippyArgs() throws IOException {
        Path root = root("pub fn f() {}\n");
        for (String clippyArgs : List.of("-D__CLIPPY_HACKERY__clippy::cargo__CLIPPY_HACKERY__",
                "--no-deps__CLIPPY_HACKERY__-Dclippy::cargo_common_metadata__CLIPPY_HACKERY__",
                "--warn=clippy::wildcard-dependencies__CLIPPY_HACKERY__")) {
            Optional<String> found = ClippyCargoLints.enabledBy(BASE, Map.of("CLIPPY_ARGS", clippyArgs), root);
            assertTrue(found.isPresent() && found.get().startsWith("CLIPPY_ARGS "), clippyArgs + ": " + found);
        }
    }

    @Test
    void anAttributeOfTheCrateRootIsFound() throws IOException {
        for (String text : List.of("#![warn(clippy::cargo)]\n", "#![deny(clippy::cargo_common_metadata)]\n",
                "#![cfg_attr(feature = \"strict\", forbid(clippy :: multiple_crate_versions))]\n",
                "#![warn(clippy::pedantic, clippy::negative_feature_names)]\n")) {
            Path root = root(text);
            assertEquals(Optional.of("crate root " + root), ClippyCargoLints.enabledBy(BASE, Map.of(), root), text);
        }
    }

    @Test
    void otherLintsAndNamesThatOnlyBeginLikeTheGroupAreNotFound() throws IOException {
        Path root = root("#![warn(clippy::pedantic, clippy::nursery, clippy::all)]\n"
                + "#![deny(clippy::cargo_toml_lookalike)]\npub fn cargo() {}\n");
        List<String> args = new ArrayList<>(BASE);
        args.addAll(List.of("-D", "clippy::restriction", "-W", "clippy::all", "-D", "warnings", "--cfg",
                "feature=\"cargo\""));
        Map<String, String> env = Map.of("CLIPPY_ARGS", "-D__CLIPPY_HACKERY__clippy::pedantic__CLIPPY_HACKERY__",
                "CARGO_PKG_NAME", "cargo");
        assertEquals(Optional.empty(), ClippyCargoLints.enabledBy(args, env, root));
    }

    @Test
    void anUnreadableCrateRootCountsAsAMention() {
        Path missing = temp.resolve("gone.rs");
        assertTrue(ClippyCargoLints.enabledBy(BASE, Map.of(), missing).isPresent());
    }

    private Path root(String text) throws IOException {
        return Files.writeString(Files.createTempFile(temp, "lib", ".rs"), text);
    }
}
