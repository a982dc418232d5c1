package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.key.KeyBreakdown;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code kache why-miss} compares: for each entry compiled here, what went into its key part
 * by part ({@code why/CRATE/KEY}), and the same for each crate's latest miss ({@code why/CRATE.miss}).
 * Only digests and part names are kept ({@link KeyBreakdown}): never a file's content or a
 * variable's value. Written on a miss only, so a hit pays nothing; a breakdown whose entry is gone
 * is deleted by the next collection.
 */
public final class MissRecords {

    /** Version 2 adds the line of the entry found and not used; version 1 records are still read. */
    private static final String MISS_HEADER = "kache-miss 2";
    private static final String MISS_HEADER_V1 = "kache-miss 1";

    private final StoreLayout layout;

    MissRecords(StoreLayout layout) {
        this.layout = layout;
    }

    /**
     * One miss: when, its call key, the entry it stored (empty when the compile failed or was not
     * cacheable), what went into its key, and the entry of this very call key it found and could
     * not use (empty when it found none).
     */
    public record Miss(Instant at, String callKey, Optional<String> entryKey, KeyBreakdown parts,
                       Optional<Unused> unused) {

        /** A miss that found no entry of its call key. */
        public Miss(Instant at, String callKey, Optional<String> entryKey, KeyBreakdown parts) {
            this(at, callKey, entryKey, parts, Optional.empty());
        }
    }

    /**
     * An entry with the miss's own call key and inputs that was there but not served: the key did
     * not differ, so the reason is this one, not a difference from an older entry.
     *
     * @param entryKey the entry's key
     * @param reason why it was not used, in plain words (one line)
     */
    public record Unused(String entryKey, String reason) {
        public Unused {
            if (!ArtifactKey.isValidCacheKey(entryKey)) {
                throw new IllegalArgumentException("invalid entry key '" + entryKey + "'");
            }
            reason = reason.replace('\n', ' ').replace('\r', ' ').strip();
        }
    }

    /** A stored entry's breakdown. */
    public record EntryParts(String entryKey, Instant storedAt, KeyBreakdown parts) {
    }

    /** Records what went into a newly stored entry's key. */
    public void entryStored(ArtifactKey key, KeyBreakdown parts) throws IOException {
        layout.writeAtomically(layout.entryParts(key), parts.encode());
    }

    /** Records {@code miss} as the latest miss of {@code crate}. */
    public void missed(String crate, Miss miss) throws IOException {
        StringBuilder text = new StringBuilder(MISS_HEADER).append('\n')
                .append(miss.at()).append('\n')
                .append(miss.callKey()).append('\n')
                .append(miss.entryKey().orElse("-")).append('\n')
                .append(miss.unused().map(u -> u.entryKey() + " " + u.reason()).orElse("-")).append('\n')
                .append(miss.parts().encode());
        layout.writeAtomically(layout.lastMiss(valid(crate)), text);
    }

    /** The latest miss of {@code crate}; empty if none was recorded or the record is unreadable. */
    public Optional<Miss> lastMiss(String crate) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(layout.lastMiss(valid(crate)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        boolean v1 = !lines.isEmpty() && lines.get(0).equals(MISS_HEADER_V1);
        int partsFrom = v1 ? 4 : 5;
        if (lines.size() < partsFrom || !(v1 || lines.get(0).equals(MISS_HEADER))) {
            return Optional.empty();
        }
        try {
            String entry = lines.get(3);
            Optional<Unused> unused = Optional.empty();
            if (!v1 && !lines.get(4).equals("-")) {
                String[] u = lines.get(4).split(" ", 2);
                unused = Optional.of(new Unused(u[0], u.length > 1 ? u[1] : ""));
            }
            return Optional.of(new Miss(Instant.parse(lines.get(1)), lines.get(2),
                    entry.equals("-") ? Optional.empty() : Optional.of(entry),
                    KeyBreakdown.decode(lines.subList(partsFrom, lines.size())), unused));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The breakdowns of {@code crate}'s entries still in the store (unpacked), newest first. */
    public List<EntryParts> entries(String crate) throws IOException {
        List<EntryParts> out = new ArrayList<>();
        Path dir = layout.whyDir().resolve(valid(crate));
        if (!dir.toFile().isDirectory()) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String key = f.getFileName().toString();
                if (!ArtifactKey.isValidCacheKey(key) || !layout.entry(new ArtifactKey(crate, key)).toFile().exists()) {
                    continue;
                }
                try {
                    out.add(new EntryParts(key, Files.getLastModifiedTime(f).toInstant(),
                            KeyBreakdown.decode(Files.readAllLines(f, StandardCharsets.UTF_8))));
                } catch (NoSuchFileException | IllegalArgumentException e) {
                    // Removed meanwhile, or not ours: nothing to compare with.
                }
            }
        }
        out.sort((a, b) -> b.storedAt().compareTo(a.storedAt()));
        return out;
    }

    /** Deletes the breakdowns whose entry is gone (called by a collection). */
    static void sweep(StoreLayout layout, Entries entries) throws IOException {
        try (DirectoryStream<Path> crates = Files.newDirectoryStream(layout.whyDir())) {
            for (Path crateDir : crates) {
                String crate = crateDir.getFileName().toString();
                if (!ArtifactKey.isValidCrateName(crate) || !Files.isDirectory(crateDir)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(crateDir)) {
                    for (Path f : files) {
                        String key = f.getFileName().toString();
                        if (!ArtifactKey.isValidCacheKey(key) || !entries.exists(new ArtifactKey(crate, key))) {
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // Nothing ever missed here.
        }
    }

    private static String valid(String crate) {
        if (!ArtifactKey.isValidCrateName(crate)) {
            throw new IllegalArgumentException("invalid crate name '" + crate + "'");
        }
        return crate;
    }
}
