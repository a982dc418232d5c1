package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A build's record carries on the previous record of its identity: cargo calls rustc only for the units
 * that are not fresh, so a build after a change to one member journals that member and its dependents,
 * and a record of those alone would send a fresh runner to compile every other crate. The record written
 * is this build's entries plus the previous record's entries that this build did not replace.
 *
 * <p>A previous entry is replaced when this build has an entry of the same <em>unit</em>: cargo's output
 * stem ({@code <crate>-<metadata hash>}, the names of the entry's files), which stays the same when a
 * unit's sources change and differs between packages, versions, profiles, check and build, a library and
 * its test harness. When a profile setting or a feature changed, every stem changes: then a previous
 * entry is replaced by this build's entries of its <em>group</em> (the same crate, package and shape of
 * output: library, proc macro, executable; and version, where the entry tells it) when this build has
 * at least as many of them, not matched by unit, as the previous record has of the group (two versions
 * of one package, one rebuilt: kept, and told apart by their versions). Where
 * the local store does not have a previous entry, its crate name decides the same way, counting this
 * build's entries of that crate that replaced nothing else, except for {@code build_script_build} (every
 * package's build script has that name), whose unknown entries are kept. Otherwise an entry is kept: a
 * record only chooses, a kept stale entry costs a download, a dropped one a compile. The record stays
 * within {@link BuildRecord#MAX_ENTRIES} and {@link BuildRecord#MAX_BYTES}: previous entries are dropped
 * from its end first, this build's never.
 */
final class RecordMerge {

    /** The bytes a record may take, leaving room for its identity and fields. */
    static final int BYTES_FOR_ENTRIES = BuildRecord.MAX_BYTES - 64 * 1024;
    private static final String BUILD_SCRIPT = "build_script_build";

    private RecordMerge() {
    }

    /**
     * What the local store tells of an entry.
     *
     * @param unit cargo's output stem of the entry's files, with its crate name
     * @param metadataOnly whether its outputs are metadata only ({@code cargo check}, clippy)
     * @param group crate, package and its version (when the entry says) and shape of output (library,
     *     proc macro or dylib, executable): entries of one group are the same target of one package,
     *     whatever its profile settings or features; {@code null} when that cannot be told (a build script of an
     *     entry that names no package)
     */
    record Facts(String unit, boolean metadataOnly, String group) {

        Facts(String unit, boolean metadataOnly) {
            this(unit, metadataOnly, null);
        }

        /** Whether it is a build script or a proc macro: compiled the same by a check and a build. */
        boolean hostTool() {
            return unit.startsWith(BUILD_SCRIPT + "/") || group != null && group.endsWith("/so");
        }

        /** The facts of a stored entry, from its files' names and its package; empty when they name no output. */
        static Optional<Facts> of(EntryManifest m) {
            String stem = null;
            boolean rmeta = false;
            boolean linked = false;
            String shape = "lib";
            for (EntryFile f : m.files()) {
                String name = f.name();
                if (name.endsWith(".d")) {
                    stem = name.substring(0, name.length() - 2);
                    continue;
                }
                String s = null;
                for (String ext : new String[] {".rmeta", ".rlib", ".so", ".a"}) {
                    if (name.startsWith("lib") && name.endsWith(ext)) {
                        s = name.substring(3, name.length() - ext.length());
                        rmeta |= ext.equals(".rmeta");
                        linked |= !ext.equals(".rmeta");
                        if (ext.equals(".so") || ext.equals(".a")) {
                            shape = ext.substring(1);
                        }
                    }
                }
                if (s == null) {
                    s = name; // an executable: a bin, a test harness, a build script
                    linked = true;
                    shape = "exe";
                }
                if (stem == null) {
                    stem = s;
                }
            }
            if (stem == null) {
                return Optional.empty();
            }
            String crate = m.key().crateName();
            String pkg = m.attributes().get(io.kache.core.store.EntryInfo.PACKAGE_ATTRIBUTE);
            // Two versions of one package (syn 1 beside syn 2) are two targets: one rebuilt must not
            // replace the other, still fresh. An entry of an older kache names no version.
            String version = m.attributes().getOrDefault(io.kache.core.store.EntryInfo.PACKAGE_VERSION_ATTRIBUTE, "");
            String group = pkg == null || pkg.isEmpty()
                    ? (crate.equals(BUILD_SCRIPT) ? null : crate + "//" + shape)
                    : crate + "/" + pkg + (version.isEmpty() ? "" : "@" + version) + "/" + shape;
            return Optional.of(new Facts(crate + "/" + stem, rmeta && !linked, group));
        }

        /** What the local store tells of an entry, or empty when it does not have it. */
        static Optional<Facts> lookup(LocalStore local, ArtifactKey key) {
            try {
                return local.lookup(key).flatMap(Facts::of);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * This build's entries {@code now} (in its order; of two entries of one unit the later is kept) and
     * the entries of {@code previous} it did not replace, each where the previous record had it, a
     * replaced one's place taken by what replaced it; then this build's other entries. Previous entries
     * {@code otherKind} rejects are dropped.
     */
    static LinkedHashSet<ArtifactKey> merge(List<ArtifactKey> now, Collection<ArtifactKey> previous,
                                            Function<ArtifactKey, Optional<Facts>> facts,
                                            Predicate<Facts> otherKind) {
        Map<ArtifactKey, Optional<Facts>> known = new HashMap<>();
        Function<ArtifactKey, Optional<Facts>> factsOf = k -> known.computeIfAbsent(k, facts);
        // This build's entries, one per unit: the later of two (a build id spanning two commands).
        List<ArtifactKey> built = new ArrayList<>();
        Map<String, ArtifactKey> byUnit = new HashMap<>();
        for (int i = now.size() - 1; i >= 0; i--) {
            ArtifactKey k = now.get(i);
            Optional<Facts> f = factsOf.apply(k);
            if (f.isPresent() && byUnit.putIfAbsent(f.get().unit(), k) != null) {
                continue;
            }
            if (!built.contains(k)) {
                built.add(0, k);
            }
        }
        Set<ArtifactKey> builtSet = new HashSet<>(built);
        // Previous entries whose unit is known and built now are replaced; the units so matched.
        Set<String> matched = new HashSet<>();
        Map<String, List<ArtifactKey>> unknownByCrate = new HashMap<>();
        for (ArtifactKey p : previous) {
            if (builtSet.contains(p)) {
                factsOf.apply(p).ifPresent(f -> matched.add(f.unit()));
                continue;
            }
            Optional<Facts> f = factsOf.apply(p);
            if (f.isPresent()) {
                if (byUnit.containsKey(f.get().unit())) {
                    matched.add(f.get().unit());
                }
            } else {
                unknownByCrate.computeIfAbsent(p.crateName(), c -> new ArrayList<>()).add(p);
            }
        }
        // This build's entries that replaced no previous entry of their unit.
        List<ArtifactKey> unmatched = new ArrayList<>();
        for (ArtifactKey k : built) {
            Optional<Facts> f = factsOf.apply(k);
            if (f.isEmpty() || !matched.contains(f.get().unit())) {
                unmatched.add(k);
            }
        }
        // Known previous entries of another unit than any built now, by group (the same target of the
        // same package): replaced when this build has at least as many unmatched entries of the group
        // (a profile setting or a feature changed every unit's stem). Two versions of one package, or a
        // group this build has fewer entries of, are ambiguous: kept.
        Map<String, List<ArtifactKey>> knownByGroup = new HashMap<>();
        for (ArtifactKey p : previous) {
            Optional<Facts> f = factsOf.apply(p);
            if (!builtSet.contains(p) && f.isPresent() && !byUnit.containsKey(f.get().unit()) && f.get().group() != null) {
                knownByGroup.computeIfAbsent(f.get().group(), g -> new ArrayList<>()).add(p);
            }
        }
        Set<ArtifactKey> replacedKnown = new HashSet<>();
        Map<ArtifactKey, List<ArtifactKey>> replacementsOf = new HashMap<>();
        Set<ArtifactKey> used = new HashSet<>();
        knownByGroup.forEach((group, olds) -> {
            List<ArtifactKey> news = unmatched.stream().filter(k -> factsOf.apply(k)
                    .map(f -> group.equals(f.group())).orElse(false)).toList();
            if (news.size() >= olds.size()) {
                replacedKnown.addAll(olds);
                olds.forEach(o -> replacementsOf.put(o, news));
                used.addAll(news);
            }
        });
        Map<String, List<ArtifactKey>> unmatchedByCrate = new HashMap<>();
        for (ArtifactKey k : unmatched) {
            if (!used.contains(k)) {
                unmatchedByCrate.computeIfAbsent(k.crateName(), c -> new ArrayList<>()).add(k);
            }
        }
        Set<String> replacedCrates = new HashSet<>();
        unknownByCrate.forEach((crate, olds) -> {
            if (!crate.equals(BUILD_SCRIPT) && unmatchedByCrate.getOrDefault(crate, List.of()).size() >= olds.size()) {
                replacedCrates.add(crate);
            }
        });

        LinkedHashSet<ArtifactKey> out = new LinkedHashSet<>();
        Set<ArtifactKey> carried = new LinkedHashSet<>();
        for (ArtifactKey p : previous) {
            if (builtSet.contains(p)) {
                out.add(p);
                continue;
            }
            Optional<Facts> f = factsOf.apply(p);
            if (f.isPresent()) {
                ArtifactKey replacement = byUnit.get(f.get().unit());
                if (replacement != null && builtSet.contains(replacement)) {
                    out.add(replacement);
                } else if (replacedKnown.contains(p)) {
                    out.addAll(replacementsOf.get(p));
                } else if (!otherKind.test(f.get())) {
                    out.add(p);
                    carried.add(p);
                }
            } else if (replacedCrates.contains(p.crateName())) {
                out.addAll(unmatchedByCrate.get(p.crateName()));
            } else {
                out.add(p);
                carried.add(p);
            }
        }
        out.addAll(built);
        return withinLimits(out, carried);
    }

    /** {@code entries} without the last of {@code droppable} until the record fits its limits. */
    private static LinkedHashSet<ArtifactKey> withinLimits(LinkedHashSet<ArtifactKey> entries,
                                                           Set<ArtifactKey> droppable) {
        long bytes = 0;
        for (ArtifactKey k : entries) {
            bytes += bytes(k);
        }
        if (entries.size() <= BuildRecord.MAX_ENTRIES && bytes <= BYTES_FOR_ENTRIES) {
            return entries;
        }
        List<ArtifactKey> drop = new ArrayList<>(droppable);
        int size = entries.size();
        Set<ArtifactKey> dropped = new HashSet<>();
        for (int i = drop.size() - 1; i >= 0 && (size > BuildRecord.MAX_ENTRIES || bytes > BYTES_FOR_ENTRIES); i--) {
            dropped.add(drop.get(i));
            size--;
            bytes -= bytes(drop.get(i));
        }
        LinkedHashSet<ArtifactKey> out = new LinkedHashSet<>(entries);
        out.removeAll(dropped);
        return out;
    }

    /** What an entry's name takes in a record's JSON: {@code "crate/key",}. */
    static int bytes(ArtifactKey k) {
        return k.crateName().length() + k.cacheKey().length() + 4;
    }
}
