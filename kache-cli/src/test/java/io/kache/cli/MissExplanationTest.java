package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.key.KeyBreakdown.Change;
import io.kache.core.key.KeyBreakdown.Difference;
import io.kache.core.rustc.PathSentinels;
import org.junit.jupiter.api.Test;

class MissExplanationTest {

    private static final String MOD = "absent:" + PathSentinels.SENTINEL_ROOT + "/ws/tool/build/mod.rs";

    @Test
    void aModuleFilesAbsenceAddedSaysItIsAbsentNow() {
        assertEquals("module file tool/build/mod.rs: absent now (which decided which file a `mod` loads);"
                + " the entry did not count on its absence", MissExplanation.describe(new Difference(MOD, Change.ADDED)));
    }

    @Test
    void aModuleFilesAbsenceRemovedSaysItWasAbsentForTheEntry() {
        assertEquals("module file tool/build/mod.rs: absent when the entry was compiled (which decided which file"
                + " a `mod` loads); its absence does not count now (the file exists, or is no longer looked for)",
                MissExplanation.describe(new Difference(MOD, Change.REMOVED)));
    }
}
