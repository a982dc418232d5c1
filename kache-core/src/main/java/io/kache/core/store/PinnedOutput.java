package io.kache.core.store;

import io.kache.core.hash.FileIdentity;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A compile's output held by a second hard link in the store's {@code tmp/}, so it can be stored
 * after cargo was told the unit finished: cargo may then delete the output ({@code cargo clean}) or
 * a later compile replace it, and the pin still names the bytes this compile wrote. rustc and the
 * linker replace an existing output by a new file, never write into it (checked against the real
 * tools by {@code PinnedOutputToolchainTest}); a write into the pinned file itself would still show
 * as a change of its size or mtime, and the store then refuses it (see {@link io.kache.core.entry.OutputFile#content}).
 *
 * <p>The pin is never a blob: a blob linked to a target file would change its ctime (its identity)
 * whenever cargo deletes that file, and every later hit would read it whole again.
 */
public final class PinnedOutput implements AutoCloseable {

    private final Path target;
    private final Path pin;
    private final FileIdentity identity;

    private PinnedOutput(Path target, Path pin, FileIdentity identity) {
        this.target = target;
        this.pin = pin;
        this.identity = identity;
    }

    /**
     * Pins {@code target} by a hard link at {@code pin}; empty where no link can be made (another
     * file system, a file system without hard links, no unix identity): the caller stores at once.
     */
    static Optional<PinnedOutput> of(Path target, Path pin) throws IOException {
        try {
            Files.createLink(pin, target);
        } catch (FileSystemException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        boolean kept = false;
        try {
            Optional<FileIdentity> id = FileIdentity.of(pin);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            kept = true;
            return Optional.of(new PinnedOutput(target, pin, id.get()));
        } finally {
            if (!kept) {
                Files.deleteIfExists(pin);
            }
        }
    }

    /** The output as rustc wrote it, where the call's output directory had it. */
    public Path target() {
        return target;
    }

    /** The pinned bytes: read these, not {@link #target()}. */
    public Path path() {
        return pin;
    }

    /** The pinned file's identity when it was pinned. */
    public FileIdentity identity() {
        return identity;
    }

    /**
     * Whether the pinned file still has the content it had when pinned, as far as its identity
     * tells ({@link FileIdentity#sameContentAs}: cargo hard-linking a finished binary out of
     * {@code deps/} moves its ctime, not its content).
     */
    public boolean unchanged() throws IOException {
        Optional<FileIdentity> now = FileIdentity.of(pin);
        return now.isPresent() && now.get().sameContentAs(identity);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(pin);
    }
}
