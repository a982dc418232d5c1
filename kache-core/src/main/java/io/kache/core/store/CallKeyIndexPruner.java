package io.kache.core.store;

import io.kache.api.ArtifactKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the call-key index files that can no longer lead to an entry, after a collection: files
 * whose candidates all name entries gone from the store (or that name none at all), and temp files
 * killed writers of earlier versions left beside them (recording now writes its temp files in
 * {@code tmp/}). Nothing else removes them, and they are outside the store's size cap.
 *
 * <p>It takes no lock (the call-key lock needs the crate, which a manifest does not name), so it
 * keeps whatever may be newer than the store's list of keys: a file modified within {@link #MARGIN}
 * of the list's start or later (file times come from a coarser clock than {@code Instant.now()},
 * and from the server's clock on NFS), and a file that changed while it was being judged. What it
 * deletes wrongly in the remaining race costs a miss, never a wrong artifact: every hit checks its
 * inputs again and looks its entry up by key. Best effort: a file it cannot judge is left alone.
 */
final class CallKeyIndexPruner {

    static final Duration MARGIN = CallKeyIndex.PRUNE_MARGIN;
    static final Duration STALE_TEMP = CallKeyIndex.STALE_TEMP;
    private static final Logger LOG = LoggerFactory.getLogger(CallKeyIndexPruner.class);

    private final Path dir;
    private final Predicate<String> present;
    private final Instant keepFrom;
    private final Instant staleBefore;
    private int callKeys;
    private int temps;

    CallKeyIndexPruner(Path dir, Predicate<String> present, Instant listedAt) {
        this.dir = dir;
        this.present = present;
        this.keepFrom = listedAt.minus(MARGIN);
        this.staleBefore = Instant.now().minus(STALE_TEMP);
    }

    CallKeyIndex.Pruned prune() {
        for (Path shard : children(dir)) {
            if (Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                for (Path file : children(shard)) {
                    try {
                        judge(file);
                    } catch (IOException | UncheckedIOException e) {
                        LOG.debug("call-key index file {} left as it is: {}", file, e.toString());
                    }
                }
            }
        }
        return new CallKeyIndex.Pruned(callKeys, temps);
    }

    private void judge(Path file) throws IOException {
        BasicFileAttributes before = attributes(file);
        if (before == null || !before.isRegularFile()) {
            return;
        }
        String name = file.getFileName().toString();
        Instant modified = before.lastModifiedTime().toInstant();
        if (CallKeyIndex.isTempName(name)) {
            if (modified.isBefore(staleBefore) && Files.deleteIfExists(file)) {
                temps++;
            }
        } else if (ArtifactKey.isValidCacheKey(name) && modified.isBefore(keepFrom) && leadsNowhere(file)
                && unchanged(file, before) && Files.deleteIfExists(file)) {
            callKeys++;
        }
    }

    /** Whether no candidate names a present entry; an undecodable file names none. */
    private boolean leadsNowhere(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return true;
        }
        if (CallKeyIndex.isAnyFormat(text) && !CallKeyIndex.isCurrentFormat(text)) {
            return false;
        }
        return CallKeyIndex.parse(text).stream().noneMatch(c -> present.test(c.entryKey()));
    }

    /** Whether the file is still the one judged: a recorder replaces it by rename, with a new inode. */
    private static boolean unchanged(Path file, BasicFileAttributes before) throws IOException {
        BasicFileAttributes now = attributes(file);
        return now != null && Objects.equals(now.fileKey(), before.fileKey())
                && now.lastModifiedTime().equals(before.lastModifiedTime());
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException | UncheckedIOException e) {
            // Missing (no manifest recorded yet), not a directory, or unreadable: nothing to judge.
            return List.of();
        }
    }
}
