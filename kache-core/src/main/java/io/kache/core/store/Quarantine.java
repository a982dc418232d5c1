package io.kache.core.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a blob goes when its bytes no longer match its name: out of {@code blobs/}, so nothing
 * serves, links or uploads it again, but kept for a while as evidence (Gradle's build cache renames
 * such entries to {@code *.failed} for the same reason). A later compile publishes the right
 * content under the name again.
 */
final class Quarantine {

    /** How long evidence is kept before a collection removes it. */
    static final Duration KEEP = Duration.ofDays(7);

    private static final String SUFFIX = ".failed";

    private final StoreLayout layout;

    Quarantine(StoreLayout layout) {
        this.layout = layout;
    }

    /**
     * Moves the blob named {@code sha256} to {@code quarantine/SHA.failed}, replacing older evidence
     * of the same name.
     *
     * @return where it went; empty if there was no such blob (another process moved or healed it)
     */
    Optional<Path> take(String sha256) throws IOException {
        Path dir = layout.quarantineDir();
        Files.createDirectories(dir);
        Path target = dir.resolve(sha256 + SUFFIX);
        try {
            // A rename: a hard link already made to the damaged inode keeps it, new readers never see it.
            Files.move(layout.blob(sha256), target, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            // The age of the evidence, not of the content: gc keeps it for KEEP from now.
            Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
            return Optional.of(target);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Removes evidence older than {@link #KEEP}; returns how many files went. */
    long sweep() throws IOException {
        Instant cutoff = Instant.now().minus(KEEP);
        long removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.quarantineDir())) {
            for (Path f : files) {
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff) && Files.deleteIfExists(f)) {
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return removed;
    }
}
