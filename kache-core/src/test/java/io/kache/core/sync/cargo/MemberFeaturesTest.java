package io.kache.core.sync.cargo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberFeaturesTest {

    private static CargoPackage.Dependency dep(String name, boolean optional, boolean defaults, String... features) {
        return new CargoPackage.Dependency(name, Optional.empty(), "normal", optional, defaults, List.of(features));
    }

    private static CargoPackage member(String name, Map<String, List<String>> features, CargoPackage.Dependency... deps) {
        return new CargoPackage(name, true, List.of(new CargoPackage.Target(name, List.of("lib"))), features,
                List.of(deps));
    }

    /** The demo workspace: app's shout enables core-lib's. */
    static final List<CargoPackage> DEMO = List.of(
            member("app", Map.of("shout", List.of("core-lib/shout")), dep("core-lib", false, true), dep("macros", false, true)),
            member("core-lib", Map.of("default", List.of(), "shout", List.of())),
            member("macros", Map.of()));

    @Test
    void theDefaultsAndAFeatureThatEnablesAnotherMembersFeature() {
        MemberFeatures m = new MemberFeatures(DEMO);
        assertEquals(Map.of("app", Set.of(), "core-lib", Set.of("default"), "macros", Set.of()),
                m.resolve(FeatureRequest.DEFAULT));
        Map<String, Set<String>> shout = Map.of("app", Set.of("shout"), "core-lib", Set.of("default", "shout"),
                "macros", Set.of());
        assertEquals(shout, m.resolve(new FeatureRequest(List.of("app/shout"), false, false)));
        assertEquals(shout, m.resolve(new FeatureRequest(List.of("shout"), false, false)),
                "a plain name enables the feature on every member that has it");
        assertEquals(shout, m.resolve(new FeatureRequest(List.of(), true, false)));
        // --no-default-features: core-lib keeps its default, which app's dependency on it asks for.
        assertEquals(m.resolve(FeatureRequest.DEFAULT), m.resolve(new FeatureRequest(List.of(), false, true)));
    }

    @Test
    void optionalDependenciesImplicitFeaturesDepSyntaxAndWeakFeatures() {
        MemberFeatures m = new MemberFeatures(List.of(
                member("a", Map.of("default", List.of("fast"), "fast", List.of("b/turbo"), "b", List.of("dep:b"),
                        "quiet", List.of("c?/quiet"), "c", List.of("dep:c")),
                        dep("b", true, false), dep("c", true, false)),
                member("b", Map.of("turbo", List.of(), "default", List.of("slow"), "slow", List.of())),
                member("c", Map.of("quiet", List.of()))));
        // fast enables b (an optional dependency without its defaults), its implicit feature b and b's turbo.
        assertEquals(Map.of("a", Set.of("default", "fast", "b"), "b", Set.of("default", "slow", "turbo"),
                "c", Set.of()), m.resolve(FeatureRequest.DEFAULT),
                "b is also a member built on its own, so it has its default");
        // quiet reaches c only if c is on: it is not.
        assertEquals(Set.of(), m.resolve(new FeatureRequest(List.of("a/quiet"), false, false)).get("c"));
        assertEquals(Set.of("quiet"), m.resolve(new FeatureRequest(List.of("a/quiet", "a/c"), false, false)).get("c"));
    }

    @Test
    void cargoFeatureOptionsAreReadFromItsCommandLine() {
        assertEquals(new FeatureRequest(List.of("a", "b", "app/shout", "x"), true, true), FeatureRequest.fromCargoArgs(
                List.of("cargo", "build", "--features", "a,b", "--features=app/shout", "-Fx", "--all-features",
                        "--no-default-features", "--", "--features", "not-cargos")));
        assertEquals(FeatureRequest.DEFAULT, FeatureRequest.fromCargoArgs(List.of("cargo", "build", "--release")));
        assertEquals(List.of("a", "b", "c"), new FeatureRequest(List.of("a b,c"), false, false).features());
    }

    @Test
    void aTargetsCrateNameTellsItsMemberPackage() {
        MemberFeatures m = new MemberFeatures(DEMO);
        assertEquals(Optional.of("core-lib"), m.packageOfCrate("core_lib"));
        assertEquals(Optional.empty(), m.packageOfCrate("serde"));
    }
}
