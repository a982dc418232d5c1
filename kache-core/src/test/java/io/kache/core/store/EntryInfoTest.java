package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.api.ArtifactKey;
import io.kache.core.key.InputSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EntryInfoTest {

    private static final String KEY = "a".repeat(64);

    @Test
    void theRecordedPackageIsShown() {
        assertEquals(Optional.of("greet-lib"), EntryInfo.packageOf(new ArtifactKey("build_script_build", KEY),
                Map.of(EntryInfo.PACKAGE_ATTRIBUTE, "greet-lib")));
    }

    @Test
    void aBuildScriptOfAnOlderKacheIsKnownByTheDirectoryOfItsBuildRs() {
        String inputs = new InputSet(List.of(new InputSet.InputFile("/@kache/cargo/registry/src/x/serde-1.0.1/build.rs",
                "bb")), List.of()).encode();
        assertEquals(Optional.of("serde-1.0.1"), EntryInfo.packageOf(new ArtifactKey("build_script_build", KEY),
                Map.of(CallKeyIndex.INPUTS_ATTRIBUTE, inputs)));
        assertEquals(Optional.empty(), EntryInfo.packageOf(new ArtifactKey("serde", KEY),
                Map.of(CallKeyIndex.INPUTS_ATTRIBUTE, inputs)), "only build scripts are guessed");
    }
}
