package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry whose outputs embed a local directory is served only where that directory is the same;
 * one that embeds none still serves every checkout.
 */
class BoundRootsTest {

    static final List<String> ARGS = CallKeyIndexTest.CORE_ARGS;

    @TempDir
    Path temp;

    @Test
    void boundInputsMatchOnlyWhereTheDirectoryIsTheSame() throws IOException {
        CargoTree a = CargoTree.create(temp.resolve("a"), CargoTree.Layout.WS_UNDER_HOME);
        CargoTree b = CargoTree.create(temp.resolve("b"), CargoTree.Layout.WS_UNDER_HOME);
        KeyContext inA = context(a);
        KeyContext inB = context(b);
        InputSet plain = InputScanner.scan(DepInfo.parse(a.render(CallKeyIndexTest.DEP_INFO)), inA);
        InputSet bound = plain.withRoots(List.of(new InputSet.BoundRoot("ws", a.ws.toString())));

        assertTrue(InputScanner.stillMatches(plain, inA));
        assertTrue(InputScanner.stillMatches(plain, inB), "without a bound directory another checkout is served");
        assertTrue(InputScanner.stillMatches(bound, inA));
        assertFalse(InputScanner.stillMatches(bound, inB), "bound to a's workspace: b compiles its own");

        InputSet boundTarget = plain.withRoots(List.of(new InputSet.BoundRoot("target", a.target.toString())));
        assertTrue(InputScanner.stillMatches(boundTarget, inA));
        assertFalse(InputScanner.stillMatches(boundTarget, inB));
        InputSet boundToAbsentRoot = plain.withRoots(List.of(new InputSet.BoundRoot("base", "/opt/base")));
        assertFalse(InputScanner.stillMatches(boundToAbsentRoot, inA), "a directory this call does not have never matches");
    }

    @Test
    void eachCheckoutKeepsItsOwnBoundEntry() throws IOException {
        CargoTree a = CargoTree.create(temp.resolve("a"), CargoTree.Layout.WS_UNDER_HOME);
        CargoTree b = CargoTree.create(temp.resolve("b"), CargoTree.Layout.WS_UNDER_HOME);
        RustcCall call = a.parse(ARGS);
        String callKey = CacheKeyRecipe.callKey(call, context(a));
        assertEquals(callKey, CacheKeyRecipe.callKey(b.parse(ARGS), context(b)), "one call key for both checkouts");
        InputSet plain = InputScanner.scan(DepInfo.parse(a.render(CallKeyIndexTest.DEP_INFO)), context(a));
        InputSet boundA = plain.withRoots(List.of(new InputSet.BoundRoot("ws", a.ws.toString())));
        InputSet boundB = plain.withRoots(List.of(new InputSet.BoundRoot("ws", b.ws.toString())));
        String entryA = CacheKeyRecipe.entryKey(callKey, boundA);
        String entryB = CacheKeyRecipe.entryKey(callKey, boundB);
        assertFalse(entryA.equals(entryB), "two bound entries never overwrite each other");

        try (LocalStore store = LocalStore.open(temp.resolve("store"), 1L << 30)) {
            CallKeyIndex manifests = store.callKeyIndex();
            manifests.record(callKey, new CallKeyIndex.Candidate(entryA, boundA));
            manifests.record(callKey, new CallKeyIndex.Candidate(entryB, boundB));
            assertEquals(Optional.of(entryA), manifests.match(callKey, context(a)));
            assertEquals(Optional.of(entryB), manifests.match(callKey, context(b)));
        }
    }

    private static KeyContext context(CargoTree tree) {
        RustcCall call = tree.parse(ARGS);
        return tree.context(call, tree.env(Map.of("CORE_BUILD_TAG", "tag-30", "OUT_DIR", tree.render(CargoTree.OUT_DIR))),
                CargoTree.TOOLCHAIN, "", Optional.empty());
    }
}
