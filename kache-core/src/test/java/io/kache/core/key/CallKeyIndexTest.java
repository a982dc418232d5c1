package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.RustcCall;
import io.kache.core.store.CallKeyIndex;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallKeyIndexTest {

    static final List<String> CORE_ARGS = List.of("--crate-name", "core_lib", "--edition=2021", "core-lib/src/lib.rs",
            "--error-format=json", "--crate-type", "lib", "--emit=dep-info,metadata,link", "-C",
            "extra-filename=-aa3a86d02ac9e920", "--out-dir", CargoTree.DEPS, "-L", "dependency=" + CargoTree.DEPS);
    static final String DEP_INFO = Keys.depInfo(List.of("core-lib/src/lib.rs", "core-lib/src/util.rs",
            CargoTree.OUT_DIR + "/generated.rs"), envDeps("tag-30"));

    @TempDir
    Path temp;
    CargoTree tree;
    LocalStore store;
    CallKeyIndex manifests;
    RustcCall call;
    String callKey;

    @BeforeEach
    void setUp() throws IOException {
        tree = CargoTree.create(temp.resolve("a"), CargoTree.Layout.WS_UNDER_HOME);
        store = LocalStore.open(temp.resolve("store"), 1L << 30);
        manifests = store.callKeyIndex();
        call = tree.parse(CORE_ARGS);
        callKey = CacheKeyRecipe.callKey(call, tree.context(call));
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void unknownCallKeyHasNoCandidatesAndNoMatch() throws IOException {
        assertEquals(List.of(), manifests.candidates(callKey));
        assertEquals(Optional.empty(), manifests.match(callKey, context(Map.of())));
    }

    @Test
    void recordedInputsMatchWhileFilesAndEnvAreUnchanged() throws IOException {
        InputSet inputs = scan(tree, DEP_INFO, Map.of("CORE_BUILD_TAG", "tag-30"));
        manifests.record(callKey, new CallKeyIndex.Candidate("e1", inputs));

        assertEquals(List.of(new CallKeyIndex.Candidate("e1", inputs)), manifests.candidates(callKey));
        assertEquals(Optional.of("e1"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-30"))));
    }

    @Test
    void editedFileMissingFileOrChangedEnvDoNotMatch() throws IOException {
        manifests.record(callKey, new CallKeyIndex.Candidate("e1",
                scan(tree, DEP_INFO, Map.of("CORE_BUILD_TAG", "tag-30"))));
        Map<String, String> env = Map.of("CORE_BUILD_TAG", "tag-30");

        assertEquals(Optional.empty(), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-31"))));
        assertEquals(Optional.empty(), manifests.match(callKey, context(Map.of())));

        String original = tree.read("core-lib/src/util.rs");
        tree.write("core-lib/src/util.rs", original + "// edited\n");
        assertEquals(Optional.empty(), manifests.match(callKey, context(env)));
        tree.write("core-lib/src/util.rs", original);
        assertEquals(Optional.of("e1"), manifests.match(callKey, context(env)));

        Files.delete(tree.path(CargoTree.OUT_DIR + "/generated.rs"));
        assertEquals(Optional.empty(), manifests.match(callKey, context(env)));
    }

    /** option_env! of a variable set to "" and of an unset variable compile differently. */
    @Test
    void envDepSetToEmptyDoesNotMatchUnsetAndViceVersa() throws IOException {
        manifests.record(callKey, new CallKeyIndex.Candidate("empty",
                scan(tree, Keys.depInfo(List.of("core-lib/src/lib.rs"), envDeps("")), Map.of("CORE_BUILD_TAG", ""))));
        assertEquals(Optional.empty(), manifests.match(callKey, context(Map.of())));
        assertEquals(Optional.of("empty"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", ""))));

        manifests.record(callKey, new CallKeyIndex.Candidate("unset",
                scan(tree, Keys.depInfo(List.of("core-lib/src/lib.rs"), envDeps(null)), Map.of())));
        assertEquals(Optional.of("unset"), manifests.match(callKey, context(Map.of())));
        assertEquals(Optional.of("empty"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", ""))));
    }

    /** {@code util/mod.rs} created beside {@code util.rs} makes {@code mod util;} ambiguous (E0761). */
    @Test
    void theOtherFormOfAModuleFileAppearingDoesNotMatch() throws IOException {
        Map<String, String> env = Map.of("CORE_BUILD_TAG", "tag-30");
        InputSet inputs = scan(tree, DEP_INFO, env);
        assertTrue(inputs.absent().stream().anyMatch(a -> a.endsWith("core-lib/src/util/mod.rs")),
                inputs.absent().toString());
        manifests.record(callKey, new CallKeyIndex.Candidate("e1", inputs));
        assertEquals(Optional.of("e1"), manifests.match(callKey, context(env)));

        for (String other : List.of("core-lib/src/util/mod.rs", "core-lib/src/lib/mod.rs",
                CargoTree.OUT_DIR + "/generated/mod.rs")) {
            tree.write(other, "// the other form\n");
            assertEquals(Optional.empty(), manifests.match(callKey, context(env)), other);
            Files.delete(tree.path(other));
            assertEquals(Optional.of("e1"), manifests.match(callKey, context(env)), other + " removed again");
        }
        // A directory counts, as for rustc, which asks whether the path exists.
        Files.createDirectories(tree.path("core-lib/src/util/mod.rs"));
        assertEquals(Optional.empty(), manifests.match(callKey, context(env)));
    }

    /** An alternative that existed when the compile succeeded changed nothing (e.g. a #[path] layout). */
    @Test
    void anAlternativePresentWhenRecordedIsNotRequiredAbsent() throws IOException {
        Map<String, String> env = Map.of("CORE_BUILD_TAG", "tag-30");
        tree.write("core-lib/src/util/mod.rs", "// reached only through #[path] elsewhere\n");
        InputSet inputs = scan(tree, DEP_INFO, env);
        assertFalse(inputs.absent().stream().anyMatch(a -> a.endsWith("core-lib/src/util/mod.rs")),
                inputs.absent().toString());
        manifests.record(callKey, new CallKeyIndex.Candidate("e1", inputs));
        assertEquals(Optional.of("e1"), manifests.match(callKey, context(env)));
    }

    @Test
    void newestFirstAndReRecordingMovesToFrontWithoutDuplicates() throws IOException {
        for (String entry : List.of("e1", "e2", "e3")) {
            manifests.record(callKey, candidate(entry));
        }
        assertEquals(List.of("e3", "e2", "e1"), entries());
        manifests.record(callKey, candidate("e1"));
        assertEquals(List.of("e1", "e3", "e2"), entries());
    }

    @Test
    void keepsAtMostEightCandidatesDroppingTheOldest() throws IOException {
        for (int i = 1; i <= 11; i++) {
            manifests.record(callKey, candidate("e" + i));
        }
        assertEquals(CallKeyIndex.MAX_CANDIDATES, 8);
        assertEquals(IntStream.rangeClosed(4, 11).map(i -> 15 - i).mapToObj(i -> "e" + i).toList(), entries());
    }

    /** A tree switching among variants keeps the one it uses, not only the eight last recorded. */
    @Test
    void aMatchedCandidateMovesToTheFrontAndOutlivesNewerVariants() throws IOException {
        manifests.record(callKey, tagged("used", "tag-30"));
        for (int i = 1; i < CallKeyIndex.MAX_CANDIDATES; i++) {
            manifests.record(callKey, tagged("v" + i, "tag-" + (40 + i)));
        }
        assertEquals("used", entries().get(CallKeyIndex.MAX_CANDIDATES - 1), "the oldest of a full list");

        assertEquals(Optional.of("used"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-30"))));
        assertEquals("used", entries().get(0), "promoted by the hit");
        assertEquals(CallKeyIndex.MAX_CANDIDATES, entries().size());

        manifests.record(callKey, tagged("newer", "tag-60"));
        manifests.record(callKey, tagged("newest", "tag-61"));
        assertEquals(List.of("newest", "newer", "used"), entries().subList(0, 3));
        assertEquals(Optional.of("used"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-30"))));
        assertEquals(List.of("used", "newest", "newer", "v7", "v6", "v5", "v4", "v3"), entries(),
                "the least recently used (v1, v2) were dropped");
    }

    /** The steady state of a hit writes nothing: the first candidate matching is left where it is. */
    @Test
    void aHitOnTheFirstCandidateDoesNotRewriteTheFile() throws IOException {
        manifests.record(callKey, tagged("older", "tag-31"));
        manifests.record(callKey, tagged("first", "tag-30"));
        Path file = temp.resolve("store").resolve("manifests").resolve(callKey.substring(0, 2)).resolve(callKey);
        Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        FileTime modified = FileTime.from(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(file, modified);

        assertEquals(Optional.of("first"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-30"))));
        assertEquals(inode, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        assertEquals(modified, Files.getLastModifiedTime(file));
        assertEquals(Optional.empty(), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-99"))));
        assertEquals(modified, Files.getLastModifiedTime(file), "a miss writes nothing either");

        assertEquals(Optional.of("older"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-31"))));
        assertEquals(List.of("older", "first"), entries());
    }

    @Test
    void firstMatchingCandidateWinsAmongSeveral() throws IOException {
        manifests.record(callKey, new CallKeyIndex.Candidate("tag30",
                scan(tree, DEP_INFO, Map.of("CORE_BUILD_TAG", "tag-30"))));
        manifests.record(callKey, new CallKeyIndex.Candidate("tag31",
                scan(tree, Keys.depInfo(List.of("core-lib/src/lib.rs"), envDeps("tag-31")),
                        Map.of("CORE_BUILD_TAG", "tag-31"))));
        assertEquals(Optional.of("tag30"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-30"))));
        assertEquals(Optional.of("tag31"), manifests.match(callKey, context(Map.of("CORE_BUILD_TAG", "tag-31"))));
    }

    /** Manifests hold sentinel paths: one checkout's record serves another checkout of the same sources. */
    @Test
    void recordFromOneCheckoutMatchesInAnother() throws IOException {
        CargoTree other = CargoTree.create(temp.resolve("b"), CargoTree.Layout.ALL_APART);
        manifests.record(callKey, new CallKeyIndex.Candidate("e1",
                scan(tree, DEP_INFO, Map.of("CORE_BUILD_TAG", "tag-30"))));
        RustcCall otherCall = other.parse(CORE_ARGS);
        String otherKey = CacheKeyRecipe.callKey(otherCall, other.context(otherCall));
        assertEquals(callKey, otherKey);
        Map<String, String> env = other.env(Map.of("CORE_BUILD_TAG", "tag-30", "OUT_DIR", CargoTree.OUT_DIR));
        KeyContext ctx = other.context(otherCall, env, CargoTree.TOOLCHAIN, "", Optional.empty());
        assertEquals(Optional.of("e1"), manifests.match(otherKey, ctx));
    }

    @Test
    void corruptFilesAreToleratedAndOverwritable() throws IOException {
        Path file = temp.resolve("store").resolve("manifests").resolve(callKey.substring(0, 2)).resolve(callKey);
        Files.createDirectories(file.getParent());
        String good = "entry good\n" + candidate("x").inputs().encode() + "end\n";
        List<byte[]> corrupt = List.of(
                new byte[0],
                "garbage\n".getBytes(StandardCharsets.UTF_8),
                ("kache-manifest 999\n" + good).getBytes(StandardCharsets.UTF_8),
                ("kache-manifest 1\nentry truncated\nf " + "a".repeat(64)).getBytes(StandardCharsets.UTF_8),
                "kache-manifest 1\nentry bad\nf abc !!!notbase64!!!\nend\n".getBytes(StandardCharsets.UTF_8),
                "kache-manifest 1\nentry bad\nq what\nend\n".getBytes(StandardCharsets.UTF_8),
                new byte[] {'k', 'a', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '\n'});
        for (byte[] bytes : corrupt) {
            Files.write(file, bytes);
            assertEquals(List.of(), manifests.candidates(callKey), new String(bytes, StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), manifests.match(callKey, context(Map.of())));
        }

        Files.writeString(file, "kache-manifest 1\nentry bad\nq what\nend\n" + good);
        assertEquals(List.of("good"), entries());

        Files.writeString(file, "garbage");
        manifests.record(callKey, candidate("fresh"));
        assertEquals(List.of("fresh"), entries());
    }

    @Test
    void recordLeavesNoTemporaryFilesBehind() throws IOException {
        for (int i = 0; i < 3; i++) {
            manifests.record(callKey, candidate("e" + i));
        }
        try (var files = Files.list(temp.resolve("store").resolve("manifests").resolve(callKey.substring(0, 2)))) {
            assertEquals(List.of(callKey), files.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(Files.isRegularFile(temp.resolve("store").resolve("manifests").resolve(callKey.substring(0, 2)).resolve(callKey)));
    }

    @Test
    void pruneForgetsCallKeysWhoseEntriesAreAllGoneAndKeepsTheRest() throws IOException {
        String gone = "a".repeat(64);
        String mixed = "b".repeat(64);
        String fresh = "c".repeat(64);
        String justBefore = "f".repeat(64);
        for (String call : List.of(gone, mixed, fresh, justBefore)) {
            manifests.record(call, candidate("e-evicted"));
        }
        manifests.record(mixed, candidate("e-kept"));
        Instant listedAt = Instant.now();
        Instant longBefore = listedAt.minus(CallKeyIndex.PRUNE_MARGIN).minusSeconds(60);
        setModified(gone, longBefore);
        setModified(mixed, longBefore);
        // Recorded after the store's keys were listed, or so shortly before that file times cannot
        // tell: its entry may be missing from the list.
        setModified(fresh, listedAt.plusSeconds(1));
        setModified(justBefore, listedAt.minusSeconds(5));

        CallKeyIndex.Pruned pruned = manifests.prune(Set.of("e-kept")::contains, listedAt);

        assertEquals(new CallKeyIndex.Pruned(1, 0), pruned);
        assertEquals(List.of(), manifests.candidates(gone));
        assertEquals(List.of("e-kept", "e-evicted"),
                manifests.candidates(mixed).stream().map(CallKeyIndex.Candidate::entryKey).toList());
        assertEquals(1, manifests.candidates(fresh).size());
        assertEquals(1, manifests.candidates(justBefore).size());
    }

    @Test
    void pruneRemovesUnreadableManifestsAndStaleTempFilesAndNothingElse() throws IOException {
        Path shard = Files.createDirectories(temp.resolve("store").resolve("manifests").resolve("dd"));
        Instant old = Instant.now().minus(CallKeyIndex.STALE_TEMP).minusSeconds(60);
        Path garbage = Files.write(shard.resolve("d".repeat(64)), new byte[] {(byte) 0xff, (byte) 0xfe});
        Path staleTemp = Files.writeString(shard.resolve(".manifest-1234.tmp"), "half");
        Path liveTemp = Files.writeString(shard.resolve(".manifest-5678.tmp"), "being written");
        Path newerFormat = Files.writeString(shard.resolve("e".repeat(64)), "kache-manifest 2\nwhatever it holds\n");
        Path foreign = Files.writeString(shard.resolve("notes.txt"), "someone else's");
        Path directory = Files.createDirectories(shard.resolve("9".repeat(64)));
        for (Path p : List.of(garbage, staleTemp, newerFormat, foreign, directory)) {
            Files.setLastModifiedTime(p, FileTime.from(old));
        }

        assertEquals(new CallKeyIndex.Pruned(1, 1), manifests.prune(k -> true, Instant.now()));
        assertFalse(Files.exists(garbage));
        assertFalse(Files.exists(staleTemp));
        assertTrue(Files.exists(liveTemp));
        assertTrue(Files.exists(newerFormat), "another format version is another kache's to judge");
        assertTrue(Files.exists(foreign));
        assertTrue(Files.isDirectory(directory));
    }

    @Test
    void pruneOfAStoreWithoutManifestsRemovesNothing() throws IOException {
        assertEquals(new CallKeyIndex.Pruned(0, 0), manifests.prune(k -> false, Instant.now()));
        Files.writeString(temp.resolve("store").resolve("manifests"), "not a directory");
        assertEquals(new CallKeyIndex.Pruned(0, 0), manifests.prune(k -> false, Instant.now()));
    }

    private void setModified(String key, Instant at) throws IOException {
        Files.setLastModifiedTime(temp.resolve("store").resolve("manifests").resolve(key.substring(0, 2)).resolve(key), FileTime.from(at));
    }

    private List<String> entries() {
        return manifests.candidates(callKey).stream().map(CallKeyIndex.Candidate::entryKey).toList();
    }

    /** A candidate whose input set reads CORE_BUILD_TAG with value {@code tag}. */
    private CallKeyIndex.Candidate tagged(String entry, String tag) throws IOException {
        return new CallKeyIndex.Candidate(entry,
                scan(tree, Keys.depInfo(List.of("core-lib/src/lib.rs"), envDeps(tag)), Map.of("CORE_BUILD_TAG", tag)));
    }

    private CallKeyIndex.Candidate candidate(String entry) throws IOException {
        return new CallKeyIndex.Candidate(entry, scan(tree, DEP_INFO, Map.of("CORE_BUILD_TAG", "tag-30")));
    }

    private KeyContext context(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("OUT_DIR", CargoTree.OUT_DIR);
        return tree.context(call, tree.env(env), CargoTree.TOOLCHAIN, "", Optional.empty());
    }

    private InputSet scan(CargoTree t, String depInfo, Map<String, String> extraEnv) throws IOException {
        return InputScanner.scan(DepInfo.parse(t.render(depInfo)), context(extraEnv));
    }

    private static Map<String, String> envDeps(String coreBuildTag) {
        Map<String, String> env = new HashMap<>();
        env.put("CORE_BUILD_TAG", coreBuildTag);
        env.put("OUT_DIR", CargoTree.OUT_DIR);
        env.put("FIXTURE_FLAVOR", null);
        return env;
    }
}
