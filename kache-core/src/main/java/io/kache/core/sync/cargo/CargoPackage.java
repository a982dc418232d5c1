package io.kache.core.sync.cargo;

import java.util.List;
import java.util.Objects;

/**
 * One package as {@code cargo metadata} describes it.
 *
 * @param name the package name as cargo spells it ({@code serde-json})
 * @param member whether it is a member of the workspace
 * @param targets its targets: lib, bins, tests, build script…
 */
public record CargoPackage(String name, boolean member, List<Target> targets) {

    /** Target kinds whose crate other packages link against. */
    private static final List<String> LINKABLE = List.of("lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro");

    public CargoPackage {
        Objects.requireNonNull(name, "name");
        targets = List.copyOf(targets);
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
