package io.kache.core.key;

import io.kache.core.hash.Sha256;
import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.SentinelRoots;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which names the directories of a crate's inputs hold, as inputs of their own. A proc macro that
 * embeds a whole directory ({@code include_dir!}, rust-embed, {@code sqlx::migrate!}) lists it at
 * expansion time and emits an {@code include_bytes!} per file: the dep-info names each file, never
 * the listing, so a file added there was not in the key and the entry built without it was served
 * (found by review, with real cargo). A macro that emits a {@code mod} per {@code .rs} file of a
 * directory (dtolnay's {@code automod::dir!}, common in test suites) does the same with sources: a
 * new test file was left out of the test binary, silently (found by a hunt). So the directory of
 * each input, and each directory above it up to its package's, is keyed by the names it holds (a new
 * subdirectory of an embedded tree too; path-independent: names only, a directory's with a trailing
 * {@code /}), recorded in the {@link InputSet} as an input whose path ends in {@code /}: an older
 * kache reads that as a file that is not there, a miss. So a file added beside a crate's sources, a
 * new integration test in {@code tests/} say, compiles the crates whose sources are there once more.
 *
 * <p>Not for a package's own directory ({@code CARGO_MANIFEST_DIR}, or the nearest holding a
 * {@code Cargo.toml} without it: {@code include_str!("../README.md")} is common, and files come and
 * go beside it); a directory below it that holds a {@code Cargo.toml} of its own (an embedded
 * template project) is listed like any other. Nor below cargo's target directory, {@code CARGO_HOME}
 * or {@code RUSTUP_HOME} (build scripts write beside their outputs; registry crates do not change).
 */
final class DirectoryListings {

    /** What ends the path of a listing input. */
    static final String MARK = "/";
    /** The listing of a directory that is not there or cannot be read. */
    static final String UNREADABLE = "unreadable";

    /** What editors write beside the file they edit: swap, lock, autosave and backup files. */
    private static final Pattern EDITOR_FILE = Pattern.compile("\\..*\\.sw[a-p]|4913|#.*#|\\.#.*|.*~");
    private static final List<String> UNKEYED_ROOTS = List.of(SentinelRoots.TARGET, SentinelRoots.CARGO_HOME,
            SentinelRoots.RUSTUP_HOME);

    private DirectoryListings() {
    }

    /** Whether {@code inputPath} (an {@link InputSet.InputFile#path()}) is a listing. */
    static boolean isListing(String inputPath) {
        return inputPath.endsWith(MARK);
    }

    /**
     * The directories above {@code file} (a dep-info input, resolved) to key by their listings, each as
     * its normalized path with the mark, nearest first: up to the package's own directory, not
     * included, since an embedding macro walks the directory it is given and all below it. Empty when
     * its directory is not keyed.
     */
    static List<Listing> of(Path file, KeyContext ctx) {
        if (file.getFileName() == null) {
            return List.of();
        }
        String manifestDir = ctx.env().get("CARGO_MANIFEST_DIR");
        Path pkg = manifestDir != null && manifestDir.startsWith("/") ? Path.of(manifestDir).normalize() : null;
        List<Listing> out = new ArrayList<>(2);
        for (Path dir = file.getParent(); dir != null && dir.getParent() != null; dir = dir.getParent()) {
            boolean inPackage = pkg != null && dir.startsWith(pkg);
            if (inPackage ? dir.equals(pkg) : new File(dir.toFile(), "Cargo.toml").exists()) {
                break;
            }
            String normalized = ctx.sentinels().normalize(dir.toString());
            if (!normalized.startsWith(PathSentinels.SENTINEL_ROOT + "/") || unkeyed(normalized)
                    || normalized.indexOf('/', PathSentinels.SENTINEL_ROOT.length() + 1) < 0) {
                break; // outside every local root, under one never keyed, or a root itself
            }
            out.add(new Listing(dir, normalized + MARK));
        }
        return out;
    }

    /** A directory to list, and its path as the input set holds it. */
    record Listing(Path dir, String inputPath) {
    }

    private static boolean unkeyed(String normalized) {
        for (String root : UNKEYED_ROOTS) {
            String sentinel = PathSentinels.SENTINEL_ROOT + "/" + root;
            if (normalized.equals(sentinel) || normalized.startsWith(sentinel + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SHA-256 of the names {@code dir} holds, sorted; {@link #UNREADABLE} when it is no directory
     * or cannot be read. An editor's files beside the one it edits are left out (vim's
     * {@code .lib.rs.swp} and {@code 4913}, emacs's {@code #lib.rs#} and {@code .#lib.rs}, backups
     * ending in {@code ~}): a build while a source is open would miss for them.
     */
    static String sha256(Path dir) {
        File[] entries = dir.toFile().listFiles();
        if (entries == null) {
            return UNREADABLE;
        }
        List<String> names = new ArrayList<>(entries.length);
        for (File entry : entries) {
            if (!EDITOR_FILE.matcher(entry.getName()).matches()) {
                names.add(entry.getName() + (entry.isDirectory() ? "/" : ""));
            }
        }
        names.sort(null);
        MessageDigest digest = Sha256.newDigest();
        for (String n : names) {
            digest.update(n.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return Sha256.hex(digest);
    }
}
