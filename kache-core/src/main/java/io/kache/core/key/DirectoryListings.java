package io.kache.core.key;

import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.SentinelRoots;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Which names a directory of a crate's data files holds, as an input of its own. A proc macro that
 * embeds a whole directory ({@code include_dir!}, rust-embed, {@code sqlx::migrate!}) lists it at
 * expansion time and emits an {@code include_bytes!} per file: the dep-info names each file, never
 * the listing, so a file added there was not in the key and the entry built without it was served
 * (found by review, with real cargo). So the directory of each input that is not Rust source is keyed
 * by the names it holds (path-independent: names only, a directory's with a trailing {@code /}),
 * recorded in the {@link InputSet} as an input whose path ends in {@code /}: an older kache reads that
 * as a file that is not there, a miss.
 *
 * <p>Not for a package's own directory (it holds a {@code Cargo.toml}: {@code include_str!("../README.md")}
 * is common, and files come and go beside it), nor below cargo's target directory, {@code CARGO_HOME}
 * or {@code RUSTUP_HOME} (build scripts write beside their outputs; registry crates do not change).
 * A new source file beside the crate's {@code .rs} files is no input either: a module must be named
 * in a source, which is keyed.
 */
final class DirectoryListings {

    /** What ends the path of a listing input. */
    static final String MARK = "/";

    private static final List<String> UNKEYED_ROOTS = List.of(SentinelRoots.TARGET, SentinelRoots.CARGO_HOME,
            SentinelRoots.RUSTUP_HOME);

    private DirectoryListings() {
    }

    /** Whether {@code inputPath} (an {@link InputSet.InputFile#path()}) is a listing. */
    static boolean isListing(String inputPath) {
        return inputPath.endsWith(MARK);
    }

    /**
     * The directory of {@code file} (a dep-info input, resolved) to key by its listing, as its
     * normalized path with the mark; empty when it is Rust source or its directory is not keyed.
     */
    static Optional<String> of(Path file, KeyContext ctx) {
        Path name = file.getFileName();
        Path dir = file.getParent();
        if (name == null || dir == null || name.toString().endsWith(".rs")
                || new File(dir.toFile(), "Cargo.toml").exists()) {
            return Optional.empty();
        }
        String normalized = ctx.sentinels().normalize(dir.toString());
        for (String root : UNKEYED_ROOTS) {
            String sentinel = PathSentinels.SENTINEL_ROOT + "/" + root;
            if (normalized.equals(sentinel) || normalized.startsWith(sentinel + "/")) {
                return Optional.empty();
            }
        }
        return Optional.of(normalized + MARK);
    }

    /** The SHA-256 of the names {@code dir} holds, sorted; empty when it is no directory. */
    static Optional<String> sha256(Path dir) throws IOException {
        File[] entries = dir.toFile().listFiles();
        if (entries == null) {
            return Optional.empty();
        }
        String[] names = new String[entries.length];
        for (int i = 0; i < entries.length; i++) {
            names[i] = entries[i].getName() + (entries[i].isDirectory() ? "/" : "");
        }
        Arrays.sort(names);
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
        for (String n : names) {
            digest.update(n.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return Optional.of(HexFormat.of().formatHex(digest.digest()));
    }
}
