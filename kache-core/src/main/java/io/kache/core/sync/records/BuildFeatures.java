package io.kache.core.sync.records;

import io.kache.core.journal.BuildEvent;
import io.kache.core.sync.cargo.FeatureRequest;
import io.kache.core.sync.cargo.MemberFeatures;
import io.kache.core.sync.cargo.ProjectCrates;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The features part of a build's identity ({@link BuildIdentity#features}): how the features of the
 * workspace members differ from their defaults, {@code +f} and {@code -f} per member. A record
 * writer sees the features each member was compiled with ({@code --cfg feature="…"}, noted in the
 * journal); a pull or a prefetch works them out from the feature options ({@link FeatureRequest})
 * and the members' manifests ({@link MemberFeatures}). A build with every member's defaults is
 * {@link BuildIdentity#DEFAULT_FEATURES}, whichever members it built; any other is a digest of
 * its differences, over the members it built.
 */
public final class BuildFeatures {

    private BuildFeatures() {
    }

    /** The features part of a build of every member of {@code ws} with {@code request}. */
    public static String requested(ProjectCrates.Workspace ws, FeatureRequest request) {
        if (ws.memberPackages().isEmpty() || request.equals(FeatureRequest.DEFAULT)) {
            return BuildIdentity.DEFAULT_FEATURES;
        }
        MemberFeatures model = ws.features();
        return differences(model.resolve(request), model.resolve(FeatureRequest.DEFAULT));
    }

    /**
     * The features part of the build whose calls are {@code events}: each member's features as its
     * calls (libs, bins, tests; not build scripts, whose crate name every member shares) had them.
     * Calls noted before kache noted features count as defaults.
     */
    public static String observed(ProjectCrates.Workspace ws, List<BuildEvent> events) {
        if (ws.memberPackages().isEmpty()) {
            return BuildIdentity.DEFAULT_FEATURES;
        }
        MemberFeatures model = ws.features();
        Map<String, Set<String>> seen = new TreeMap<>();
        for (BuildEvent e : events) {
            Optional<Set<String>> features = e.featureSet();
            if (features.isEmpty() || e.kind().equals("build-script")) {
                continue;
            }
            model.packageOfCrate(e.crate())
                    .ifPresent(p -> seen.computeIfAbsent(p, k -> new TreeSet<>()).addAll(features.get()));
        }
        return differences(seen, model.resolve(FeatureRequest.DEFAULT));
    }

    /** {@link BuildIdentity#DEFAULT_FEATURES}, or a digest of how {@code features} differ from {@code defaults}. */
    static String differences(Map<String, Set<String>> features, Map<String, Set<String>> defaults) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Set<String>> member : new TreeMap<>(features).entrySet()) {
            Set<String> base = defaults.getOrDefault(member.getKey(), Set.of());
            Set<String> changes = new TreeSet<>();
            member.getValue().stream().filter(f -> !base.contains(f)).forEach(f -> changes.add("+" + f));
            base.stream().filter(f -> !member.getValue().contains(f)).forEach(f -> changes.add("-" + f));
            if (!changes.isEmpty()) {
                b.append(member.getKey()).append(':').append(String.join(",", changes)).append('\n');
            }
        }
        return b.length() == 0 ? BuildIdentity.DEFAULT_FEATURES
                : BuildIdentity.shortDigest(b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
