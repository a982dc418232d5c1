package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.key.KeyBreakdown;
import io.kache.core.rustc.CargoUnit;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
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
 * by part ({@code why/CRATE/KEY}), and the same for the latest miss of each unit of a crate
 * ({@code why/CRATE.PKG.KIND.miss}). Both keep the unit, its package and kind ({@link CargoUnit}):
 * every build script is crate {@code build_script_build}, and a miss must be explained against its
 * own package's entries. Only digests and part names are kept ({@link KeyBreakdown}): never a
 * file's content or a variable's value. Written on a miss only, so a hit pays nothing; a breakdown
 * whose entry is gone is deleted by the next collection.
 */
public final class MissRecords {

    /**
     * Version 2 adds the line of the entry found and not used, version 3 the unit's package and kind
     * (kept per unit, {@code why/CRATE.miss} was one per crate); versions 1 and 2 are still read.
     */
    private static final String MISS_HEADER = "kache-miss 3";
    private static final String MISS_HEADER_V2 = "kache-miss 2";
    private static final String MISS_HEADER_V1 = "kache-miss 1";
    /** The first line of an entry's breakdown that keeps its unit; an older kache's starts with the parts. */
    private static final String PARTS_HEADER = "kache-parts 2";

    private final StoreLayout layout;

    /**
     * Told of a record that could not be read at all (not UTF-8 text, not a file, not readable), which
     * is then left out; one of another format (an older or newer kache's) is left out silently.
     */
    @FunctionalInterface
    public interface Damaged {
        void skipped(Path record, String why);
    }

    MissRecords(StoreLayout layout) {
        this.layout = layout;
    }

    /**
     * One miss: when, its call key, the entry it stored (empty when the compile failed or was not
     * cacheable), what went into its key, the entry of this very call key it found and could not
     * use (empty when it found none), and the unit that missed ({@link CargoUnit#UNKNOWN_UNIT} for
     * an older kache's record).
     */
    public record Miss(Instant at, String callKey, Optional<String> entryKey, KeyBreakdown parts,
                       Optional<Unused> unused, CargoUnit unit) {

        /** A miss of a unit not known. */
        public Miss(Instant at, String callKey, Optional<String> entryKey, KeyBreakdown parts,
                    Optional<Unused> unused) {
            this(at, callKey, entryKey, parts, unused, CargoUnit.UNKNOWN_UNIT);
        }

        /** A miss of a unit not known that found no entry of its call key. */
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

    /** A stored entry's breakdown, and its unit ({@link CargoUnit#UNKNOWN_UNIT} when an older kache stored it). */
    public record EntryParts(String entryKey, Instant storedAt, KeyBreakdown parts, CargoUnit unit) {

        public EntryParts(String entryKey, Instant storedAt, KeyBreakdown parts) {
            this(entryKey, storedAt, parts, CargoUnit.UNKNOWN_UNIT);
        }

        /** This breakdown, of {@code other}'s unit. */
        public EntryParts of(CargoUnit other) {
            return new EntryParts(entryKey, storedAt, parts, other);
        }
    }

    /** Records what went into a newly stored entry's key, and the unit it was compiled for. */
    public void entryStored(ArtifactKey key, CargoUnit unit, KeyBreakdown parts) throws IOException {
        layout.writeAtomically(layout.entryParts(key), PARTS_HEADER + "\n" + unit.packageName() + "\n"
                + unit.kind() + "\n" + parts.encode());
    }

    /**
     * Records {@code miss} as the latest miss of its unit of {@code crate}. An older kache's record
     * of the crate is removed: it is older, and it cannot be told which unit it was of.
     */
    public void missed(String crate, Miss miss) throws IOException {
        StringBuilder text = new StringBuilder(MISS_HEADER).append('\n')
                .append(miss.at()).append('\n')
                .append(miss.callKey()).append('\n')
                .append(miss.entryKey().orElse("-")).append('\n')
                .append(miss.unused().map(u -> u.entryKey() + " " + u.reason()).orElse("-")).append('\n')
                .append(miss.unit().packageName()).append('\n')
                .append(miss.unit().kind()).append('\n')
                .append(miss.parts().encode());
        layout.writeAtomically(layout.lastMiss(valid(crate), miss.unit()), text);
        Files.deleteIfExists(layout.lastMiss(crate));
    }

    /**
     * The latest miss of each unit of {@code crate} (each package and kind), newest first; unreadable
     * records are left out. An older kache's one record of the crate is among them, of an unknown unit.
     */
    public List<Miss> lastMisses(String crate) throws IOException {
        return lastMisses(crate, (record, why) -> { });
    }

    /** {@link #lastMisses(String)}, telling {@code damaged} of each record that could not be read. */
    public List<Miss> lastMisses(String crate, Damaged damaged) throws IOException {
        List<Miss> out = new ArrayList<>();
        for (Path f : layout.lastMisses(valid(crate))) {
            lines(f, damaged).flatMap(MissRecords::read).ifPresent(out::add);
        }
        out.sort((a, b) -> b.at().compareTo(a.at()));
        return out;
    }

    /**
     * The lines of one record; empty when it is gone (a collection removed it meanwhile) or cannot be
     * read, which {@code damaged} is told: one damaged record must not cost the answer from the others.
     */
    private static Optional<List<String>> lines(Path record, Damaged damaged) {
        try {
            return Optional.of(Files.readAllLines(record, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (CharacterCodingException e) {
            damaged.skipped(record, "not UTF-8 text");
        } catch (IOException e) {
            damaged.skipped(record, e.getMessage());
        }
        return Optional.empty();
    }

    private static Optional<Miss> read(List<String> lines) {
        String header = lines.isEmpty() ? "" : lines.get(0);
        boolean v1 = header.equals(MISS_HEADER_V1);
        boolean v3 = header.equals(MISS_HEADER);
        int partsFrom = v1 ? 4 : v3 ? 7 : 5;
        if (lines.size() < partsFrom || !(v1 || v3 || header.equals(MISS_HEADER_V2))) {
            return Optional.empty();
        }
        try {
            String entry = lines.get(3);
            Optional<Unused> unused = Optional.empty();
            if (!v1 && !lines.get(4).equals("-")) {
                String[] u = lines.get(4).split(" ", 2);
                unused = Optional.of(new Unused(u[0], u.length > 1 ? u[1] : ""));
            }
            CargoUnit unit = v3 ? new CargoUnit(lines.get(5), lines.get(6)) : CargoUnit.UNKNOWN_UNIT;
            return Optional.of(new Miss(Instant.parse(lines.get(1)), lines.get(2),
                    entry.equals("-") ? Optional.empty() : Optional.of(entry),
                    KeyBreakdown.decode(lines.subList(partsFrom, lines.size())), unused, unit));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The breakdowns of {@code crate}'s entries still in the store (unpacked), of every unit, newest
     * first; an older kache's of an unknown unit.
     */
    public List<EntryParts> entries(String crate) throws IOException {
        return entries(crate, (record, why) -> { });
    }

    /** {@link #entries(String)}, telling {@code damaged} of each breakdown that could not be read. */
    public List<EntryParts> entries(String crate, Damaged damaged) throws IOException {
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
                Optional<List<String>> read = lines(f, damaged);
                if (read.isEmpty()) {
                    continue;
                }
                try {
                    List<String> lines = read.get();
                    boolean withUnit = lines.size() >= 3 && lines.get(0).equals(PARTS_HEADER);
                    out.add(new EntryParts(key, Files.getLastModifiedTime(f).toInstant(),
                            KeyBreakdown.decode(withUnit ? lines.subList(3, lines.size()) : lines),
                            withUnit ? new CargoUnit(lines.get(1), lines.get(2)) : CargoUnit.UNKNOWN_UNIT));
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
