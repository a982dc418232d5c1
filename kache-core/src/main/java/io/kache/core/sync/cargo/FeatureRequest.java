package io.kache.core.sync.cargo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The feature options of a cargo command: {@code --features}/{@code -F}, {@code --all-features},
 * {@code --no-default-features}. {@code kache sync} takes the same options, and the kache server
 * reads them from the cargo command it serves, so both tell the same build apart.
 *
 * @param features the features named, split at commas and spaces ({@code f} or {@code member/f})
 * @param allFeatures {@code --all-features}
 * @param noDefaultFeatures {@code --no-default-features}
 */
public record FeatureRequest(List<String> features, boolean allFeatures, boolean noDefaultFeatures) {

    /** A plain build: every member's default features. */
    public static final FeatureRequest DEFAULT = new FeatureRequest(List.of(), false, false);

    public FeatureRequest {
        List<String> split = new ArrayList<>();
        for (String f : Objects.requireNonNull(features, "features")) {
            for (String part : f.split("[,\\s]+")) {
                if (!part.isEmpty()) {
                    split.add(part);
                }
            }
        }
        features = List.copyOf(split);
    }

    /**
     * The feature options of a cargo command line ({@code cargo build --features a,b …}): options
     * after {@code --} belong to the program cargo runs and are not read.
     */
    public static FeatureRequest fromCargoArgs(List<String> args) {
        List<String> features = new ArrayList<>();
        boolean all = false;
        boolean noDefault = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                break;
            } else if (a.equals("--all-features")) {
                all = true;
            } else if (a.equals("--no-default-features")) {
                noDefault = true;
            } else if ((a.equals("--features") || a.equals("-F")) && i + 1 < args.size()) {
                features.add(args.get(++i));
            } else if (a.startsWith("--features=")) {
                features.add(a.substring("--features=".length()));
            } else if (a.startsWith("-F") && a.length() > 2 && !a.startsWith("-F=")) {
                features.add(a.substring(2));
            } else if (a.startsWith("-F=")) {
                features.add(a.substring(3));
            }
        }
        return new FeatureRequest(features, all, noDefault);
    }
}
