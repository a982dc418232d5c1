package io.kache.core.key;

import io.kache.core.hash.FileHasher;
import io.kache.core.rustc.PathSentinels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What clippy-driver reads besides rustc's inputs, as one text for the call key: its identity, the
 * variables it reads ({@code CLIPPY_ARGS}, {@code CLIPPY_CONF_DIR}, {@code CLIPPY_DISABLE_DOCS_LINKS},
 * {@code CARGO_PKG_RUST_VERSION}, its default MSRV, {@code CARGO_PRIMARY_PACKAGE}, without which
 * {@code --no-deps} lints nothing, and {@code SYSROOT}, its sysroot when none is given) and the
 * configuration file it would load, by content. A file that is not there is keyed as absent, so one
 * that appears later misses.
 *
 * <p>The search is clippy's own ({@code clippy_config::lookup_conf_file}): from
 * {@code CLIPPY_CONF_DIR}, else {@code CARGO_MANIFEST_DIR}, else the working directory, canonical,
 * upward; in each directory {@code .clippy.toml} then {@code clippy.toml}; the first directory that
 * has either ends the search (both there draws a warning, so both are keyed).
 *
 * <p>The paths looked at are told too ({@link ReadPaths}): a configuration written, made or removed
 * while clippy-driver runs may be what it read, and then the entry is not stored.
 *
 * <p>What clippy's {@code cargo} lints read (every manifest of the workspace, {@code Cargo.lock}) is
 * not here: a call that may enable them is not cached at all ({@link ClippyCargoLints}). The
 * workspace root's {@code Cargo.toml}, which {@code lint_groups_priority} reads in every call, is
 * in clippy's dep-info, so the entry key holds it.
 */
public final class ClippyInputs {

    private static final List<String> VARIABLES = List.of("CLIPPY_ARGS", "CLIPPY_CONF_DIR", "CLIPPY_DISABLE_DOCS_LINKS",
            "CARGO_PKG_RUST_VERSION", "CARGO_PRIMARY_PACKAGE", "SYSROOT");
    private static final List<String> CONFIG_NAMES = List.of(".clippy.toml", "clippy.toml");

    private ClippyInputs() {
    }

    /**
     * The text for the call key, and the paths it was read from: the configuration files found (or
     * what is there in their place), the places looked at where no file was (a configuration made
     * there would be read), and the configuration directory, when it was not there (clippy would
     * search from it once made).
     */
    public record Described(String text, ReadPaths paths) {
    }

    /** The text for the call key, as {@link #lookup}. */
    public static String describe(String identity, Map<String, String> env, Path cwd, PathSentinels sentinels,
                                  FileHasher hasher) throws IOException {
        return lookup(identity, env, cwd, sentinels, hasher).text();
    }

    /**
     * The text for the call key and where the configuration was looked for (see the class comment).
     *
     * @param identity clippy-driver's {@code --version} line and its {@code -vV} banner
     * @param env the call's environment
     * @param cwd the call's directory
     * @param sentinels the call's local roots: a configuration directory inside the workspace is
     *     keyed by where it is in it, not by the checkout's path
     * @param hasher content hashes
     */
    public static Described lookup(String identity, Map<String, String> env, Path cwd, PathSentinels sentinels,
                                   FileHasher hasher) throws IOException {
        StringBuilder text = new StringBuilder("clippy-driver\n").append(identity).append('\n');
        for (String name : VARIABLES) {
            String value = env.get(name);
            text.append(name).append(value == null ? " unset" : "=" + sentinels.normalize(value)).append('\n');
        }
        String start = env.getOrDefault("CLIPPY_CONF_DIR", env.getOrDefault("CARGO_MANIFEST_DIR", "."));
        List<Path> read = new ArrayList<>();
        List<Path> noFile = new ArrayList<>();
        Path dir;
        try {
            dir = cwd.resolve(start).toRealPath();
        } catch (IOException e) {
            // clippy stops with an error here: keyed as such, it fails the same way each time.
            text.append("config: no directory ").append(sentinels.normalize(start)).append('\n');
            return new Described(text.toString(), new ReadPaths(read, noFile, List.of(cwd.resolve(start))));
        }
        for (; dir != null; dir = dir.getParent()) {
            boolean found = false;
            StringBuilder here = new StringBuilder();
            for (String name : CONFIG_NAMES) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    read.add(file);
                    found = true;
                    here.append("config ").append(name).append(' ').append(hasher.sha256(file)).append('\n');
                } else if (Files.exists(file) && !Files.isDirectory(file)) {
                    // Neither a file nor a directory (a dangling link is absent): clippy fails to read it.
                    found = true;
                    read.add(file);
                    here.append("config ").append(name).append(" unreadable\n");
                } else {
                    noFile.add(file);
                }
            }
            if (found) {
                text.append("config-dir ").append(sentinels.normalize(dir.toString())).append('\n').append(here);
                return new Described(text.toString(), new ReadPaths(read, noFile, List.of()));
            }
        }
        return new Described(text.append("config absent\n").toString(), new ReadPaths(read, noFile, List.of()));
    }
}
