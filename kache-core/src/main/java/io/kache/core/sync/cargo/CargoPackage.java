package io.kache.core.sync.cargo;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One package as {@code cargo metadata} describes it.
 *
 * @param name the package name as cargo spells it ({@code serde-json})
 * @param member whether it is a member of the workspace
 * @param targets its targets: lib, bins, tests, build script…
 * @param features its {@code [features]} table as cargo reports it (implicit features of optional
 *     dependencies included)
 * @param dependencies its dependencies as its manifest declares them
 */
public record CargoPackage(String name, boolean member, List<Target> targets, Map<String, List<String>> features,
                           List<Dependency> dependencies) {

    /** Target kinds whose crate other packages link against. */
    private static final List<String> LINKABLE = List.of("lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro");

    public CargoPackage {
        Objects.requireNonNull(name, "name");
        targets = List.copyOf(targets);
        features = Map.copyOf(features);
        dependencies = List.copyOf(dependencies);
    }

    public CargoPackage(String name, boolean member, List<Target> targets) {
        this(name, member, targets, Map.of(), List.of());
    }

    /**
     * One dependency as declared.
     *
     * @param name the package it names
     * @param rename the name it is used under ({@code package = …} renames), if renamed
     * @param kind {@code normal}, {@code build} or {@code dev}
     * @param optional whether only a feature enables it
     * @param defaultFeatures whether it takes the package's default features
     * @param features the features it enables on the package
     */
    public record Dependency(String name, Optional<String> rename, String kind, boolean optional,
                             boolean defaultFeatures, List<String> features) {
        public Dependency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(rename, "rename");
            Objects.requireNonNull(kind, "kind");
            features = List.copyOf(features);
        }

        /** The name the depending package's features refer to it by. */
        public String usedAs() {
            return rename.orElse(name);
        }
    }

    /**
     * One target.
     *
     * @param name the target name, e.g. {@code serde_json}, {@code my-tool}, {@code build-script-build}
     * @param kinds cargo's kinds, e.g. {@code lib}, {@code bin}, {@code custom-build}
     */
    public record Target(String name, List<String> kinds) {

        public Target {
            Objects.requireNonNull(name, "name");
            kinds = List.copyOf(kinds);
        }

        /** The {@code --crate-name} cargo passes to rustc for this target. */
        public String crateName() {
            return CrateNames.of(name);
        }

        /** Whether other crates link against it (a library or proc-macro). */
        public boolean linkable() {
            return kinds.stream().anyMatch(LINKABLE::contains);
        }

        /** Whether it is the build script. */
        public boolean buildScript() {
            return kinds.contains("custom-build");
        }
    }
}
