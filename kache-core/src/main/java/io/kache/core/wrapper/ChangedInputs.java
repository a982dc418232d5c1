package io.kache.core.wrapper;

import io.kache.core.hash.FileIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
 *   <li>for an input under the call's directory, each directory on the way to it below that
 *       directory, by its own times: a directory renamed into place meanwhile holds other, older
 *       files ({@code mv cfg.new cfg}). Not above the call's directory, nor for inputs elsewhere
 *       (cargo's target directory and registry): directories there change all through a build as
 *       other crates write beside them, and would then keep every such entry out.</li>
 * </ul>
 */
final class ChangedInputs {

    private final Path cwd;
    private final Optional<Path> targetDir;
    private final long startStampNanos;
    private final Set<Path> settled = new HashSet<>();

    /**
     * @param targetDir cargo's target directory, when the call's outputs are in one: its directories
     *     are never the ones checked, even where it lies under the call's directory
     * @param startStampNanos the file clock read just before rustc started ({@link io.kache.core.hash.FileClock})
     */
    ChangedInputs(Path cwd, Optional<Path> targetDir, long startStampNanos) {
        this.cwd = cwd;
        this.targetDir = targetDir;
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
        Path lexical = file.normalize();
        boolean underCall = lexical.startsWith(cwd) && targetDir.map(t -> !lexical.startsWith(t)).orElse(true);
        for (Path p = file; p != null && !p.equals(cwd); p = p.getParent()) {
            Path name = p.getFileName();
            // "a/.." names a itself's parent, checked in its turn; "." names its parent too.
            if (name == null || name.toString().equals("..") || name.toString().equals(".") || !settled.add(p)) {
                continue;
            }
            boolean link = Files.isSymbolicLink(p);
            boolean dir = underCall && !p.equals(file) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if ((link || dir) && moved(p)) {
                return true;
            }
        }
        return false;
    }

    private boolean moved(Path component) throws IOException {
        Optional<FileIdentity> own = FileIdentity.ofLink(component);
        return own.isEmpty() || own.get().changedSince(startStampNanos, component);
    }
}
