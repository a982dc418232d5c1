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
import java.util.Map;

/**
 * Which names the directories of a crate's inputs hold, as inputs of their own. A proc macro that
 * embeds a whole directory ({@code include_dir!}, rust-embed, {@code sqlx::migrate!}) lists it at
 * expansion time and emits an {@code include_bytes!} per file: the dep-info names each file, never
 * the listing, so a file added there was not in the key and the entry built without it was served
 * (found by review, with real cargo). A macro that emits a {@code mod} per {@code .rs} file of a
 * directory (dtolnay's {@code automod::dir!}, common in test suites) does the same with sources: a
 * new test file was left out of the test binary, silently (found by a hunt). So the directory of
 * each data input, and each directory above it up to its package's, is keyed by the names it holds
 * (a new subdirectory of an embedded tree too; path-independent: names only, a directory's with a
 * trailing {@code /}), and the directory of each source by the {@code .rs} names it holds; each is
 * recorded in the {@link InputSet} as an input whose path ends in {@code /} ({@code /*.rs/} for
 * sources): an older kache reads that as a file that is not there, a miss. So a {@code .rs} file
 * added beside a crate's sources, a new integration test in {@code tests/} say, compiles the crates
 * whose sources are there once more.
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
    /** What ends the path of a sources-only listing input: the {@code .rs} names a directory holds. */
    static final String SOURCES_MARK = "/*.rs/";
    /** The listing of a directory that is not there or cannot be read. */
    static final String UNREADABLE = "unreadable";

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
     * included, since an embedding macro walks the directory it is given and all below it. For a
     * source ({@code .rs}), a sources-only listing. Empty when its directory is not keyed.
     */
    static List<Listing> of(Path file, KeyContext ctx) {
        Path name = file.getFileName();
        if (name == null) {
            return List.of();
        }
        boolean sources = name.toString().endsWith(".rs");
        String manifestDir = ctx.env().get("CARGO_MANIFEST_DIR");
        Path pkg = manifestDir != null && manifestDir.startsWith("/") ? Path.of(manifestDir).normalize() : null;
        List<Listing> out = new ArrayList<>(2);
        for (Path dir = file.getParent(); dir != null && dir.getParent() != null; dir = dir.getParent()) {
            Path lexical = dir.normalize(); // ../shared, as the path reads; the listing reads it as the OS does
            if (pkg != null ? pkg.startsWith(lexical) || !lexical.startsWith(pkg) && holdsAManifest(dir) : holdsAManifest(dir)) {
                // The package's directory, or one above it (a source outside the package, say
                // ../shared/lib.rs, stops where the two meet), or another package's.
                break;
            }
            String normalized = ctx.sentinels().normalize(dir.toString());
            if (!normalized.startsWith(PathSentinels.SENTINEL_ROOT + "/") || unkeyed(dir, ctx)
                    || normalized.indexOf('/', PathSentinels.SENTINEL_ROOT.length() + 1) < 0) {
                break; // outside every local root, under one never keyed, or a root itself
            }
            out.add(new Listing(dir, sources ? normalized + SOURCES_MARK : normalized + MARK));
        }
        return out;
    }

    private static boolean holdsAManifest(Path dir) {
        return new File(dir.toFile(), "Cargo.toml").exists();
    }

    /** A directory to list, and its path as the input set holds it. */
    record Listing(Path dir, String inputPath) {

        /** Its listing's SHA-256. */
        String sha256() {
            return DirectoryListings.sha256(dir, inputPath.endsWith(SOURCES_MARK));
        }
    }

    /**
     * Whether {@code dir} is under the target dir, {@code CARGO_HOME} or {@code RUSTUP_HOME}, by their
     * real paths: a registry crate's call directory, inside {@code CARGO_HOME}, normalizes through its
     * own sentinel (found by review: its sources were listed on every hit).
     */
    private static boolean unkeyed(Path dir, KeyContext ctx) {
        Map<String, String> roots = ctx.sentinels().roots();
        for (String root : UNKEYED_ROOTS) {
            String real = roots.get(root);
            if (real != null && dir.startsWith(Path.of(real))) {
                return true;
            }
        }
        return false;
    }

    /** The SHA-256 of the listing whose input path, expanded to this machine's, is {@code expandedPath}. */
    static String sha256(String expandedPath) {
        boolean sources = expandedPath.endsWith(SOURCES_MARK);
        String dir = expandedPath.substring(0, expandedPath.length() - (sources ? SOURCES_MARK.length() : MARK.length()));
        return sha256(Path.of(dir.isEmpty() ? "/" : dir), sources);
    }

    /**
     * The SHA-256 of the names {@code dir} holds, sorted, a directory's with a trailing {@code /};
     * {@link #UNREADABLE} when it is no directory or cannot be read. {@code sourcesOnly}: only the
     * {@code .rs} files a module could be named after (not hidden ones), which is all a macro such as
     * {@code automod::dir!} reads: an editor's swap or backup file beside a source, or a tool's
     * temporary one, is no miss (found by review: vim's {@code .lib.rs.swp} was one).
     */
    static String sha256(Path dir, boolean sourcesOnly) {
        File[] entries = dir.toFile().listFiles();
        if (entries == null) {
            return UNREADABLE;
        }
        List<String> names = new ArrayList<>(entries.length);
        for (File entry : entries) {
            String n = entry.getName();
            if (!sourcesOnly) {
                names.add(n + (entry.isDirectory() ? "/" : ""));
            } else if (n.endsWith(".rs") && !n.startsWith(".") && !n.startsWith("#") && entry.isFile()) {
                names.add(n);
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
