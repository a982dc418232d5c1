package io.kache.core.wrapper;

import io.kache.core.hash.FileIdentity;
import io.kache.core.rustc.SentinelRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the files a compile read may have changed while rustc ran: the inputs are hashed once it
 * is done, and an entry must never claim inputs its outputs were not compiled from. Told by time
 * stamps against the file clock read before rustc started ({@link FileIdentity#changedSince}):
 *
 * <ul>
 *   <li>each input file, by its mtime and ctime (a copy that sets the mtime back still moves the
 *       ctime);</li>
 *   <li>each symbolic link on the way to it, by the link's own times: a link re-pointed meanwhile
 *       names another, older file ({@code ln -sfn v2 cfg});</li>
 *   <li>each directory on the way to it, by its own times: a directory renamed into place meanwhile
 *       holds other, older files ({@code mv cfg.new cfg}). Only below the directory the input shares
 *       with the call's, and below the local root holding it (home, the temp dir): directories
 *       above change all through a build as unrelated files come and go beside them ({@code /tmp}),
 *       and would then keep every such entry out. Not at all for inputs in cargo's target directory,
 *       {@code CARGO_HOME} or {@code RUSTUP_HOME}, where other crates write beside them all through a
 *       build. An input beside the checkout ({@code ../shared/cfg/data.txt}) is checked as one inside
 *       it: a reviewer swapped {@code ../ext/cfg} mid-compile and the old code stored the entry.</li>
 * </ul>
 */
final class ChangedInputs {

    /** The sentinels of directories whose own directories are never checked: others write there all build long. */
    private static final Set<String> BUSY_ROOTS = Set.of(SentinelRoots.TARGET, SentinelRoots.CARGO_HOME,
            SentinelRoots.RUSTUP_HOME);

    private final Path cwd;
    private final List<Path> busy;
    private final List<Path> roots;
    private final long startStampNanos;
    private final Set<Path> settledLinks = new HashSet<>();
    private final Set<Path> settledDirs = new HashSet<>();

    /**
     * @param roots the call's local directories by sentinel name ({@link io.kache.core.rustc.PathSentinels#roots()}):
     *     cargo's target directory, {@code CARGO_HOME} and {@code RUSTUP_HOME} are never the ones checked, even
     *     where they lie under the call's directory, and no directory above a root holding an input is
     * @param startStampNanos the file clock read just before rustc started ({@link io.kache.core.hash.FileClock})
     */
    ChangedInputs(Path cwd, Map<String, String> roots, long startStampNanos) {
        this.cwd = cwd;
        this.busy = roots.entrySet().stream().filter(r -> BUSY_ROOTS.contains(r.getKey()))
                .map(r -> Path.of(r.getValue())).toList();
        this.roots = roots.values().stream().map(Path::of).toList();
        this.startStampNanos = startStampNanos;
    }

    /** The first of {@code inputs} (dep-info paths) that may have changed, if any; one that is gone has. */
    Optional<String> firstChanged(List<String> inputs) throws IOException {
        for (String input : inputs) {
            if (changed(cwd.resolve(input))) {
                return Optional.of(input);
            }
        }
        return Optional.empty();
    }

    private boolean changed(Path file) throws IOException {
        Optional<FileIdentity> id;
        try {
            id = FileIdentity.of(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
        if (id.isEmpty() || id.get().changedSince(startStampNanos, file)) {
            return true;
        }
        for (Path p = file; p != null && !p.equals(cwd); p = p.getParent()) {
            Path name = p.getFileName();
            // "a/.." names a itself's parent, checked in its turn; "." names its parent too.
            if (name == null || name.toString().equals("..") || name.toString().equals(".") || !settledLinks.add(p)) {
                continue;
            }
            if (Files.isSymbolicLink(p) && moved(p)) {
                return true;
            }
        }
        Path lexical = file.normalize();
        if (busy.stream().anyMatch(lexical::startsWith)) {
            return false;
        }
        Path stop = lexical.startsWith(cwd) ? cwd : floor(lexical);
        for (Path dir = lexical.getParent(); dir != null && !dir.equals(stop) && dir.startsWith(stop); dir = dir.getParent()) {
            if (settledDirs.add(dir) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && moved(dir)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The deepest of the directory {@code input} shares with the call's and the local roots holding it:
     * only directories below it are checked.
     */
    private Path floor(Path input) {
        Path common = input.getRoot();
        for (int i = 0; i < Math.min(input.getNameCount(), cwd.getNameCount()) && input.getName(i).equals(cwd.getName(i)); i++) {
            common = common.resolve(input.getName(i));
        }
        for (Path root : roots) {
            if (input.startsWith(root) && root.getNameCount() > common.getNameCount()) {
                common = root;
            }
        }
        return common;
    }

    private boolean moved(Path component) throws IOException {
        Optional<FileIdentity> own = FileIdentity.ofLink(component);
        return own.isEmpty() || own.get().changedSince(startStampNanos, component);
    }
}
