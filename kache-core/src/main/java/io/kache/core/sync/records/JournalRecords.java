package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.core.journal.BuildEvent;
import io.kache.core.store.BuildJournal;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The records a push writes, from the local build journal: which entries the newest build of a
 * workspace used, under the identity its calls saw.
 */
public final class JournalRecords {

    private JournalRecords() {
    }

    /**
     * The records of the newest build of {@code ws} in the local journal (the last
     * {@link BuildJournal#KEEP_DAYS} days): every entry it hit or stored, with the identity its calls
     * saw, one record per profile and kind of build among its calls (a {@code KACHE_BUILD_ID} may span
     * {@code cargo build}, {@code cargo build --release} and {@code cargo check}), builds first. Empty
     * when the journal has no build of this workspace. The kind of a call is told from its entry in
     * {@code local} ({@link BuildKinds#of}).
     */
    public static List<BuildRecord> fromJournal(LocalStore local, ProjectCrates.Workspace ws,
                                                Map<String, String> env) throws IOException {
        List<BuildEvent> events = local.journal().read(System.currentTimeMillis()
                - Duration.ofDays(BuildJournal.KEEP_DAYS).toMillis());
        Set<String> dirs = new LinkedHashSet<>();
        dirs.add(ws.targetDirectory().toString());
        try {
            dirs.add(ws.targetDirectory().toRealPath().toString());
        } catch (IOException e) {
            // No target directory yet: no build either.
        }
        List<BuildEvent> mine = events.stream().filter(e -> dirs.contains(e.workspace().targetDir())).toList();
        if (mine.isEmpty()) {
            return List.of();
        }
        String build = mine.get(mine.size() - 1).build();
        List<BuildEvent> ofBuild = mine.stream().filter(e -> e.build().equals(build)).toList();
        List<BuildEvent> used = new ArrayList<>();
        for (BuildEvent e : ofBuild) {
            if ((e.outcome() == BuildEvent.Outcome.HIT || e.outcome() == BuildEvent.Outcome.STORED)
                    && e.entryKey().isPresent() && ArtifactKey.isValidCrateName(e.crate())
                    && ArtifactKey.isValidCacheKey(e.key())) {
                used.add(e);
            }
        }
        Set<String> memberPackages = Set.copyOf(ws.memberPackages().stream()
                .map(io.kache.core.sync.cargo.CargoPackage::name).toList());
        Map<String, List<BuildEvent>> byProfile = new java.util.LinkedHashMap<>();
        used.forEach(e -> byProfile.computeIfAbsent(e.workspace().profile(), p -> new ArrayList<>()).add(e));
        List<BuildRecord> records = new ArrayList<>();
        for (String kind : List.of(BuildIdentity.BUILD, BuildIdentity.CHECK, BuildIdentity.CLIPPY)) {
            for (List<BuildEvent> profile : byProfile.values()) {
                List<BuildEvent> group = BuildKinds
                        .of(profile, k -> RecordMerge.Facts.lookup(local, k), memberPackages)
                        .getOrDefault(kind, List.of());
                if (group.isEmpty()) {
                    continue;
                }
                // In the journal's order, the order the build's calls ended: a prefetch fetches them so,
                // ahead of cargo asking for them in about that order.
                Set<ArtifactKey> keys = new LinkedHashSet<>();
                group.forEach(e -> keys.add(new ArtifactKey(e.crate(), e.key())));
                String triple = group.stream().map(e -> e.workspace().triple()).filter(t -> !t.equals("host"))
                        .findFirst().orElse("host");
                BuildIdentity id = new BuildIdentity(mostCommon(group, e -> e.workspace().toolchain()), triple,
                        group.get(0).workspace().profile(),
                        BuildIdentities.rustflags(mostCommon(group, e -> e.workspace().flags()), ws, env),
                        BuildIdentities.lockDigest(ws), BuildIdentities.membersDigest(ws),
                        BuildFeatures.observed(ws, group), kind);
                records.add(new BuildRecord(System.currentTimeMillis(), build, id, keys));
            }
        }
        return records;
    }

    private static String mostCommon(List<BuildEvent> events, Function<BuildEvent, String> field) {
        Map<String, Integer> counts = new HashMap<>();
        events.forEach(e -> counts.merge(field.apply(e), 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse("-");
    }
}
