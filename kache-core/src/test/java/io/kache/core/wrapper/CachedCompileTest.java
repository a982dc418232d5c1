package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.Invocation;
import io.kache.core.entry.EntryManifest;
import io.kache.core.journal.BuildEvent;
import io.kache.core.rustc.CargoUnit;
import io.kache.core.store.EntryInfo;
import io.kache.core.store.LocalStore;
import io.kache.core.store.MissRecords;
import io.kache.testkit.SpyRustc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One wrapped rustc call as cargo makes it, against the real compiler behind {@link SpyRustc}: a
 * miss compiles and stores, the same call again is served from the cache without reaching rustc,
 * and a changed source compiles again. Here so that a change in the wrapper fails close to it,
 * before the cargo end-to-end tests.
 */
class CachedCompileTest {

    private static final String EXTRA = GreetCrate.EXTRA;

    @TempDir
    Path temp;
    GreetCrate greet;
    SpyRustc spy;
    Path project;
    Path deps;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        greet = GreetCrate.in(temp, temp.resolve("store"));
        spy = greet.spy;
        project = greet.project;
        deps = greet.deps;
        env = greet.env;
    }

    @Test
    void aMissCompilesAndStoresTheSameCallIsServedWithoutRustcAndAnEditCompilesAgain() throws Exception {
        assertEquals(0, call(), "the first call compiles");
        assertEquals(List.of("greet"), spy.takeCompiled());
        Path rlib = deps.resolve("libgreet" + EXTRA + ".rlib");
        byte[] compiled = Files.readAllBytes(rlib);
        assertTrue(Files.isRegularFile(deps.resolve("greet" + EXTRA + ".d")));

        clean();
        assertEquals(0, call(), "the same call again");
        assertEquals(List.of(), spy.takeCompiled(), "a hit never reaches rustc");
        assertArrayEquals(compiled, Files.readAllBytes(rlib), "the stored outputs are restored");
        assertTrue(Files.isRegularFile(deps.resolve("libgreet" + EXTRA + ".rmeta")));

        Files.writeString(project.resolve("src/lib.rs"), "pub fn greet() -> &'static str { \"bye\" }\n");
        assertEquals(0, call(), "after an edit");
        assertEquals(List.of("greet"), spy.takeCompiled(), "an edited source is compiled");
    }

    @Test
    void aFailingCompileIsRustcsFailureAndNothingIsStored() throws Exception {
        Files.writeString(project.resolve("src/lib.rs"), "pub fn greet() -> u32 { \"not a number\" }\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(call(out) != 0, "rustc's exit code");
        assertTrue(out.toString().contains("mismatched types"), out.toString());
        assertEquals(List.of("greet"), spy.takeCompiled());

        assertTrue(call(new ByteArrayOutputStream()) != 0);
        assertEquals(List.of("greet"), spy.takeCompiled(), "a failure is never served from the cache");
    }

    /**
     * A compile started after its cargo was gone (interrupted meanwhile) cannot open the jobserver pipe
     * cargo named, and rustc warns so and compiles anyway: that warning describes that build alone and
     * must never be replayed to another (it was, on every hit, after a cancelled CI job or a Ctrl-C).
     */
    @Test
    void aCompileThatCouldNotReachItsBuildsJobserverIsNotStored() throws Exception {
        greet.env.put("CARGO_MAKEFLAGS", "-j --jobserver-fifo=/proc/999999999/fd/6 --jobserver-auth=fifo:/proc/999999999/fd/6");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, call(out), "rustc compiles anyway");
        assertTrue(out.toString().contains("failed to connect to jobserver"), out.toString());
        assertEquals(List.of("greet"), spy.takeCompiled());

        greet.env.remove("CARGO_MAKEFLAGS");
        clean();
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(0, call(again));
        assertEquals(List.of("greet"), spy.takeCompiled(), "compiled: nothing was stored");
        assertFalse(again.toString().contains("jobserver"), "no other build's warning: " + again);
    }

    /**
     * A warning about a long type names the file rustc wrote its full name to, beside the outputs: a
     * hit would replay the note without the file (found by a hunt), so such a compile is not stored.
     */
    @Test
    void aCompileWhoseWarningNamesALongTypeFileIsNotStored() throws Exception {
        Files.writeString(project.resolve("src/lib.rs"), "type A = (i32, i32, i32, i32);\ntype B = (A, A, A, A);\n"
                + "type C = (B, B, B, B);\ntype D = (C, C, C, C);\npub fn greet(x: D) { drop(x); }\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, call(out));
        assertTrue(out.toString().contains(".long-type-"), out.toString());
        assertEquals(List.of("greet"), spy.takeCompiled());
        clean();
        assertEquals(0, call());
        assertEquals(List.of("greet"), spy.takeCompiled(), "compiled again: nothing was stored");
    }

    /**
     * {@code #[link(name = "sub/libbar.a", …)]} is looked up below the search directory, where the key
     * does not look: a changed library was bundled stale into the rlib (found by a hunt), so such a
     * compile is not stored. One whose name has no directory part is, as before.
     */
    @Test
    void aCompileLinkingALibraryByANestedNameIsNotStored() throws Exception {
        Path nat = Files.createDirectories(project.resolve("native/sub"));
        Files.writeString(nat.resolve("libbar.a"), "!<arch>\n");
        Files.writeString(nat.getParent().resolve("libflat.a"), "!<arch>\n");
        List<String> args = greet.compile();
        args.addAll(List.of("-L", "native=" + nat.getParent()));
        Files.writeString(project.resolve("src/lib.rs"), "#[link(name = \"sub/libbar.a\", kind = \"static\",\n"
                + "    modifiers = \"+verbatim\")]\nextern \"C\" {}\npub fn greet() {}\n");
        for (int run = 0; run < 2; run++) {
            assertEquals(0, RustcWrapper.run(greet.invocation(args, new ByteArrayOutputStream(), OptionalLong.empty())));
            assertEquals(List.of("greet"), spy.takeCompiled(), "run " + run + ": compiled, nothing was stored");
            clean();
        }
        Files.writeString(project.resolve("src/lib.rs"), "#[link(name = \"flat\", kind = \"static\")]\n"
                + "extern \"C\" {}\npub fn greet() {}\n");
        assertEquals(0, RustcWrapper.run(greet.invocation(args, new ByteArrayOutputStream(), OptionalLong.empty())));
        assertEquals(List.of("greet"), spy.takeCompiled());
        clean();
        assertEquals(0, RustcWrapper.run(greet.invocation(args, new ByteArrayOutputStream(), OptionalLong.empty())));
        assertEquals(List.of(), spy.takeCompiled(), "a flat name is keyed, and served");
    }

    /**
     * A lint denied by a later build ({@code [lints]} in Cargo.toml, {@code -D} in RUSTFLAGS) fails
     * that compile: the quiet entry of the build before must not stand in for it.
     */
    @Test
    void aQuietEntryIsNotServedToACallThatDeniesALintItBreaks() throws Exception {
        assertEquals(0, call(), "no lint denied: compiles, quiet");
        assertEquals(List.of("greet"), spy.takeCompiled());
        clean();
        List<String> denying = greet.compile();
        denying.addAll(List.of("-D", "missing_docs"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(RustcWrapper.run(greet.invocation(denying, out, OptionalLong.empty())) != 0, "rustc's failure");
        assertTrue(out.toString().contains("missing documentation"), out.toString());
        assertEquals(List.of("greet"), spy.takeCompiled(), "compiled, not served");
    }

    /**
     * An entry serves every rendering of its warnings it has seen: a call with other diagnostic flags
     * (cargo's --message-format=short here) compiles once and adds its rendering to the entry, then
     * both kinds of call are served, each printing what rustc printed for its flags. Before, the
     * short call compiled on every run: the entry kept the default rendering only.
     */
    @Test
    void aCallWithOtherDiagnosticFlagsCompilesOnceThenBothRenderingsAreServed() throws Exception {
        Files.writeString(project.resolve("src/lib.rs"), "pub fn greet() -> &'static str { \"hello\" }\nfn unused() {}\n");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        assertEquals(0, call(first));
        assertTrue(first.toString().contains("\"rendered\""), first.toString());
        assertEquals(List.of("greet"), spy.takeCompiled());

        clean();
        ByteArrayOutputStream shortOnce = new ByteArrayOutputStream();
        assertEquals(0, callShort(shortOnce));
        assertEquals(List.of("greet"), spy.takeCompiled(), "the entry has no short rendering yet");
        assertTrue(shortOnce.toString().contains("warning: function `unused` is never used"), shortOnce.toString());

        clean();
        ByteArrayOutputStream shortAgain = new ByteArrayOutputStream();
        assertEquals(0, callShort(shortAgain));
        assertEquals(List.of(), spy.takeCompiled(), "the short rendering was added to the entry");
        assertEquals(lines(shortOnce), lines(shortAgain));

        clean();
        ByteArrayOutputStream firstAgain = new ByteArrayOutputStream();
        assertEquals(0, call(firstAgain));
        assertEquals(List.of(), spy.takeCompiled(), "the default rendering is still served");
        assertEquals(lines(first), lines(firstAgain));
        assertEquals(1, stored().size(), "one entry, two renderings");
    }

    /**
     * What was printed, its lines sorted: a hit replays the artifact notifications before the
     * diagnostics (cargo reads each line alone), where rustc interleaves them.
     */
    private static List<String> lines(ByteArrayOutputStream out) {
        return out.toString().lines().sorted().toList();
    }

    /** {@link #call} as {@code cargo build --message-format=short} makes it. */
    private int callShort(ByteArrayOutputStream out) {
        List<String> args = greet.compile();
        args.replaceAll(a -> a.startsWith("--json=") ? "--json=diagnostic-short,artifacts,future-incompat" : a);
        return RustcWrapper.run(greet.invocation(args, out, OptionalLong.empty()));
    }

    /**
     * A source replaced while rustc ran by a copy that keeps an older mtime ({@code cp -p},
     * {@code rsync -a}, {@code tar x}) is hashed in its new form once rustc is done: the entry would
     * claim the new source for outputs compiled from the old one. Its ctime, which no copy can set
     * back, tells, and nothing is stored.
     */
    @Test
    void aSourceReplacedDuringTheCompileByAnOlderDatedCopyIsNotStored() throws Exception {
        Path edited = project.resolve("edited.rs");
        Files.writeString(edited, "pub fn greet() -> &'static str { \"edited\" }\n");
        Files.setLastModifiedTime(edited, java.nio.file.attribute.FileTime.fromMillis(1_577_836_800_000L));
        Path editing = temp.resolve("editing-rustc");
        Files.writeString(editing, "#!/bin/sh\n'" + spy.path() + "' \"$@\"; code=$?\n"
                + "cp -p '" + edited + "' '" + project.resolve("src/lib.rs") + "'\nexit $code\n");
        Files.setPosixFilePermissions(editing, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> args = greet.compile();
        args.set(0, editing.toString());
        assertEquals(0, RustcWrapper.run(greet.invocation(args, new ByteArrayOutputStream(), OptionalLong.empty())));
        assertEquals(List.of("greet"), spy.takeCompiled());
        try (LocalStore store = LocalStore.open(temp.resolve("store"), Long.MAX_VALUE)) {
            assertEquals(List.of(), store.list(Optional.of("greet")), "nothing stored for the source it was not compiled from");
        }
        clean();
        assertEquals(0, call(), "the edited source, through the usual compiler");
        assertEquals(List.of("greet"), spy.takeCompiled(), "compiled, not served the old source's outputs");
    }

    /**
     * A link on the way to an input re-pointed while rustc ran ({@code ln -sfn v2 cfg}), or a
     * directory renamed into place ({@code mv cfg.new cfg}), makes the input's path name another,
     * older file: hashed once rustc is done, it would be claimed for outputs compiled from the
     * first. The link's or the directory's own ctime tells, and nothing is stored.
     */
    @Test
    void anInputWhosePathWasRedirectedDuringTheCompileIsNotStored() throws Exception {
        Path src = project.resolve("src");
        Files.writeString(src.resolve("lib.rs"),
                "pub fn greet() -> &'static str { include_str!(\"cfg/data.txt\") }\n");
        for (String swap : List.of("ln -sfn v2 cfg", "mv cfg cfg.old && mv cfg.new cfg")) {
            boolean link = swap.startsWith("ln");
            for (String dir : List.of("v1", "v2", "cfg", "cfg.new", "cfg.old")) {
                Path d = src.resolve(dir);
                if (Files.isSymbolicLink(d)) {
                    Files.delete(d);
                } else if (Files.isDirectory(d)) {
                    try (Stream<Path> files = Files.list(d)) {
                        for (Path f : files.toList()) {
                            Files.delete(f);
                        }
                    }
                    Files.delete(d);
                }
            }
            if (link) {
                Files.writeString(Files.createDirectories(src.resolve("v1")).resolve("data.txt"), "ONE by link");
                Files.writeString(Files.createDirectories(src.resolve("v2")).resolve("data.txt"), "TWO by link");
                Files.createSymbolicLink(src.resolve("cfg"), Path.of("v1"));
            } else {
                Files.writeString(Files.createDirectories(src.resolve("cfg")).resolve("data.txt"), "ONE by rename");
                Files.writeString(Files.createDirectories(src.resolve("cfg.new")).resolve("data.txt"), "TWO by rename");
            }
            io.kache.core.hash.FileClockTicks.awaitNextTick(temp);   // all of it before the compile starts
            Path swapping = temp.resolve("swapping-rustc");
            // Only after the compile itself, not after the questions kache asks the compiler first.
            Files.writeString(swapping, "#!/bin/sh\n'" + spy.path() + "' \"$@\"; code=$?\n"
                    + "case \" $* \" in *' --crate-name greet '*) (cd '" + src + "' && " + swap + ") ;; esac\n"
                    + "exit $code\n");
            Files.setPosixFilePermissions(swapping, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> args = greet.compile();
            args.set(0, swapping.toString());
            clean();
            List<EntryInfo> before = stored();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, RustcWrapper.run(greet.invocation(args, out, OptionalLong.empty())), () -> swap + ": " + out);
            assertEquals(List.of("greet"), spy.takeCompiled(), swap);
            assertEquals(before, stored(), swap + ": nothing stored");
            clean();
            assertEquals(0, call(), swap + ": the same call after the swap");
            assertEquals(List.of("greet"), spy.takeCompiled(), swap + ": compiled, not served outputs built from ONE");
        }
    }

    /**
     * The same for a directory beside the checkout ({@code ../ext/cfg}, a shared data directory): its
     * directories were not checked at all, and a swap mid-compile stored outputs built from the old
     * file under the new one's hash.
     */
    @Test
    void anInputBesideTheCheckoutWhoseDirectoryWasSwappedDuringTheCompileIsNotStored() throws Exception {
        Path ext = Files.createDirectories(temp.resolve("ext"));
        Files.writeString(Files.createDirectories(ext.resolve("cfg")).resolve("data.txt"), "ONE by rename");
        Files.writeString(Files.createDirectories(ext.resolve("cfg.new")).resolve("data.txt"), "TWO by rename");
        Files.writeString(project.resolve("src/lib.rs"),
                "pub fn greet() -> &'static str { include_str!(\"../../ext/cfg/data.txt\") }\n");
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);   // all of it before the compile starts
        Path swapping = temp.resolve("swapping-rustc");
        Files.writeString(swapping, "#!/bin/sh\n'" + spy.path() + "' \"$@\"; code=$?\n"
                + "case \" $* \" in *' --crate-name greet '*) (cd '" + ext + "' && mv cfg cfg.old && mv cfg.new cfg) ;; esac\n"
                + "exit $code\n");
        Files.setPosixFilePermissions(swapping, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> args = greet.compile();
        args.set(0, swapping.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, RustcWrapper.run(greet.invocation(args, out, OptionalLong.empty())), out::toString);
        assertEquals(List.of("greet"), spy.takeCompiled());
        assertEquals(List.of(), stored(), "nothing stored: the file read is not the file hashed");
        clean();
        assertEquals(0, call(), "the same call after the swap");
        assertEquals(List.of("greet"), spy.takeCompiled(), "compiled, not served outputs built from ONE");
    }

    @Test
    void throughTheServerAMissIsStoredFromItsPinsEvenWhenCargoCleansRightAfter() throws Exception {
        BackgroundStores.enable();
        env.put("CARGO_PKG_NAME", "greet-pkg");
        env.put("CARGO_PKG_VERSION", "1.2.3");
        int exit;
        // As the server runs a call: prepared, run, answered; the store follows in the background.
        try (OpenRemotes remotes = new OpenRemotes()) {
            CallOutcome.Cacheable cacheable = assertInstanceOf(CallOutcome.Cacheable.class, RustcWrapper.prepare(
                    invocation(new ByteArrayOutputStream(), OptionalLong.of(ProcessHandle.current().pid())), remotes));
            exit = cacheable.run();
        }
        assertEquals(0, exit, "compiled and handed back");
        assertEquals(List.of("greet"), spy.takeCompiled());
        byte[] compiled = Files.readAllBytes(deps.resolve("libgreet" + EXTRA + ".rlib"));
        clean();   // as `cargo clean` may, before the background store has read the outputs

        assertTrue(BackgroundStores.awaitIdle(60_000), "the background store finishes");
        try (Stream<Path> left = Files.list(temp.resolve("store/tmp"))) {
            assertEquals(List.of(), left.toList(), "no pin or temp file left");
        }
        try (LocalStore store = LocalStore.open(temp.resolve("store"), Long.MAX_VALUE)) {
            List<EntryInfo> entries = store.list(Optional.of("greet"));
            assertEquals(1, entries.size(), "one entry stored: " + entries);
            ArtifactKey key = entries.get(0).key();
            assertEquals(Optional.of("greet-pkg"), entries.get(0).packageName(), "the package attribute");
            EntryManifest manifest = store.lookup(key).orElseThrow();
            assertTrue(manifest.attributes().containsKey(EntryAttributes.COMPILE_MILLIS), "the compile time attribute");
            assertEquals("1.2.3", manifest.attributes().get(EntryAttributes.PACKAGE_VERSION), "the package's version");
            // The call's one journal line, written once the background store knew the entry key.
            List<BuildEvent> lines = store.journal().read(0);
            assertEquals(1, lines.size(), "exactly one journal line for the call: " + lines);
            assertEquals(BuildEvent.Outcome.STORED, lines.get(0).outcome());
            assertEquals(Optional.of(key.cacheKey()), lines.get(0).entryKey(), "the line carries the entry key");
            assertNotEquals("unknown", lines.get(0).build(), "the build was read while the call was on");
            // kache why-miss: the miss, with the entry it stored, and the entry's breakdown.
            List<MissRecords.Miss> misses = store.missRecords().lastMisses("greet");
            assertEquals(1, misses.size(), "one unit missed: " + misses);
            MissRecords.Miss miss = misses.get(0);
            assertEquals(Optional.of(key.cacheKey()), miss.entryKey());
            // The package and kind travel with the miss, the entry's breakdown and the journal line.
            CargoUnit unit = new CargoUnit("greet-pkg", "lib");
            assertEquals(unit, miss.unit());
            assertEquals("greet-pkg", lines.get(0).packageName());
            List<MissRecords.EntryParts> parts = store.missRecords().entries("greet");
            assertEquals(1, parts.size(), "the entry's breakdown");
            assertEquals(unit, parts.get(0).unit());
        }
        assertEquals(0, call(), "the same call in a JVM of its own");
        assertEquals(List.of(), spy.takeCompiled(), "served from what the background stored");
        assertArrayEquals(compiled, Files.readAllBytes(deps.resolve("libgreet" + EXTRA + ".rlib")));
    }

    private int call() {
        return call(new ByteArrayOutputStream());
    }

    /** The call cargo makes for a library crate, with its JSON diagnostics going to {@code out}. */
    private int call(ByteArrayOutputStream out) {
        return RustcWrapper.run(invocation(out, OptionalLong.empty()));
    }

    private Invocation invocation(ByteArrayOutputStream out, OptionalLong descriptorOwner) {
        return greet.invocation(greet.compile(), out, descriptorOwner);
    }

    /** The entries of greet in the store now. */
    private List<EntryInfo> stored() throws IOException {
        try (LocalStore store = LocalStore.open(temp.resolve("store"), Long.MAX_VALUE)) {
            return store.list(Optional.of("greet"));
        }
    }

    private void clean() throws IOException {
        greet.clean();
    }
}
