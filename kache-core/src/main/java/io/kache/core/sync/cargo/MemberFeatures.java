package io.kache.core.sync.cargo;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which features each workspace member gets in a build of the whole workspace with a given
 * {@link FeatureRequest}, as cargo's resolver would enable them and rustc then sees them
 * ({@code --cfg feature="…"}): the requested features (and {@code default} unless refused), what
 * each enabled feature enables in turn ({@code f}, {@code dep:d}, {@code d/f}, {@code d?/f}), and
 * what members enable on each other through their dependencies. Only members are resolved: the
 * features of registry dependencies follow from the members' and the lock file.
 *
 * <p>An approximation where cargo's resolver distinguishes more: dev-dependencies are left out (a
 * {@code cargo build}), platform-specific dependencies are taken as they were all active, and every
 * member is taken to be built. A wrong answer costs a build record that does not apply (a miss of
 * the record), never a wrong entry.
 */
public final class MemberFeatures {

    private final Map<String, CargoPackage> members = new HashMap<>();

    public MemberFeatures(List<CargoPackage> packages) {
        packages.stream().filter(CargoPackage::member).forEach(p -> members.put(p.name(), p));
    }

    /** The member packages' names. */
    public Set<String> packages() {
        return new TreeSet<>(members.keySet());
    }

    /** The member package whose target has {@code crateName} (lib, bin, test, example), if exactly one. */
    public Optional<String> packageOfCrate(String crateName) {
        String found = null;
        for (CargoPackage p : members.values()) {
            for (CargoPackage.Target t : p.targets()) {
                if (!t.buildScript() && t.crateName().equals(crateName)) {
                    if (found != null && !found.equals(p.name())) {
                        return Optional.empty();
                    }
                    found = p.name();
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** Each member's enabled features under {@code request}, sorted. */
    public Map<String, Set<String>> resolve(FeatureRequest request) {
        Map<String, Set<String>> enabled = new TreeMap<>();
        members.keySet().forEach(m -> enabled.put(m, new TreeSet<>()));
        Map<String, Set<String>> activeDeps = new HashMap<>();
        // What starts the build: the request, and every member's required dependencies.
        for (CargoPackage p : members.values()) {
            Set<String> active = activeDeps.computeIfAbsent(p.name(), k -> new HashSet<>());
            p.dependencies().stream().filter(d -> !d.optional() && !d.kind().equals("dev"))
                    .forEach(d -> active.add(d.usedAs()));
            if (request.allFeatures()) {
                enabled.get(p.name()).addAll(p.features().keySet());
            } else if (!request.noDefaultFeatures() && p.features().containsKey("default")) {
                enabled.get(p.name()).add("default");
            }
            for (String f : request.features()) {
                int slash = f.indexOf('/');
                if (slash < 0 && p.features().containsKey(f)) {
                    enabled.get(p.name()).add(f);
                } else if (slash > 0 && f.substring(0, slash).equals(p.name())
                        && p.features().containsKey(f.substring(slash + 1))) {
                    enabled.get(p.name()).add(f.substring(slash + 1));
                }
            }
        }
        // Then what enables what, to a fixed point: members are few and tables small.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (CargoPackage p : members.values()) {
                Set<String> active = activeDeps.get(p.name());
                for (String f : List.copyOf(enabled.get(p.name()))) {
                    for (String v : p.features().getOrDefault(f, List.of())) {
                        changed |= apply(p, v, enabled, active);
                    }
                }
                for (CargoPackage.Dependency d : p.dependencies()) {
                    if (d.kind().equals("dev") || !active.contains(d.usedAs()) || !members.containsKey(d.name())) {
                        continue;
                    }
                    Set<String> target = enabled.get(d.name());
                    CargoPackage dep = members.get(d.name());
                    if (d.defaultFeatures() && dep.features().containsKey("default")) {
                        changed |= target.add("default");
                    }
                    for (String df : d.features()) {
                        if (dep.features().containsKey(df)) {
                            changed |= target.add(df);
                        }
                    }
                }
            }
        }
        return enabled;
    }

    /** One value of an enabled feature of {@code p}: another feature, a dependency, a dependency's feature. */
    private boolean apply(CargoPackage p, String value, Map<String, Set<String>> enabled, Set<String> active) {
        boolean changed = false;
        if (value.startsWith("dep:")) {
            return active.add(value.substring(4));
        }
        int slash = value.indexOf('/');
        if (slash < 0) {
            return p.features().containsKey(value) && enabled.get(p.name()).add(value);
        }
        boolean weak = value.charAt(slash - 1) == '?';
        String dep = value.substring(0, weak ? slash - 1 : slash);
        String feature = value.substring(slash + 1);
        if (!weak) {
            changed |= active.add(dep);
            // An optional dependency's implicit feature is on whenever the dependency is.
            if (p.features().containsKey(dep)) {
                changed |= enabled.get(p.name()).add(dep);
            }
        } else if (!active.contains(dep)) {
            return false;
        }
        for (CargoPackage.Dependency d : p.dependencies()) {
            if (d.usedAs().equals(dep) && members.containsKey(d.name()) && !d.kind().equals("dev")
                    && members.get(d.name()).features().containsKey(feature)) {
                changed |= enabled.get(d.name()).add(feature);
            }
        }
        return changed;
    }
}
