package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.store.LocalStore;
import io.kache.testkit.SpyRustc;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native input of the call key (a file in a {@code -L native=} directory) is hashed before rustc
 * runs. One written while rustc ran may be what it linked or bundled: the outputs must not be stored
 * under the key of the bytes hashed before (found by review: a library swapped mid-build by another
 * process was served to later builds with the old library). A file added to the directory meanwhile
 * counts as a change too.
 */
class NativeInputRaceTest {

    /** A call as the server runs it for its client (here this process). */
    private static final OptionalLong SERVER = OptionalLong.of(ProcessHandle.current().pid());

    @TempDir
    Path temp;
    GreetCrate greet;
    SpyRustc spy;
    Path nativeDir;

    @BeforeEach
    void setUp() throws Exception {
        greet = GreetCrate.in(temp, temp.resolve("store"));
        spy = greet.spy;
        nativeDir = Files.createDirectories(temp.resolve("native"));
        Files.write(nativeDir.resolve("libmagic.a"), "!<arch>\nmagic-1".getBytes());
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);   // all of it before the compile starts
    }

    @Test
    void anUnchangedNativeInputLetsTheEntryBeStored() throws Exception {
        assertEquals(0, compileThen("true"));
        assertEquals(1, stored(), "stored: nothing moved, and a missing search dir is no change");
    }

    @Test
    void aNativeLibraryWrittenWhileRustcRanIsNotStored() throws Exception {
        assertEquals(0, compileThen("printf '!<arch>\\nmagic-2' > '" + nativeDir.resolve("libmagic.a") + "'"));
        assertEquals(0, stored(), "nothing stored under the key of the library hashed before");
    }

    @Test
    void aNativeLibraryAddedWhileRustcRanIsNotStored() throws Exception {
        assertEquals(0, compileThen("printf '!<arch>\\nother' > '" + nativeDir.resolve("libother.a") + "'"));
        assertEquals(0, stored(), "the directory listed before the compile changed");
    }

    @Test
    void aNativeLibraryRemovedWhileRustcRanIsNotStored() throws Exception {
        Files.write(nativeDir.resolve("libold.a"), "!<arch>\nold".getBytes());
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);
        assertEquals(0, compileThen("rm '" + nativeDir.resolve("libold.a") + "'"));
        assertEquals(0, stored(), "the directory listed before the compile changed");
    }

    /**
     * A search directory removed while rustc ran took with it the library the call key hashed: what
     * rustc read can no longer be told, so nothing is stored (found by review: listed again after
     * the compile, a directory gone was taken for one never made, like an OUT_DIR named early).
     */
    @Test
    void aNativeSearchDirRemovedWhileRustcRanIsNotStored() throws Exception {
        assertEquals(0, compileThen("rm -r '" + nativeDir + "'"));
        assertEquals(0, stored(), "the directory listed before the compile is gone");
    }

    /**
     * Through the server the entry is stored after the unit went back to cargo ({@link BackgroundStores}),
     * from pins of the outputs: checked alike, against what the key read when rustc started.
     */
    @Test
    void throughTheServerANativeSearchDirRemovedWhileRustcRanIsNotStored() throws Exception {
        BackgroundStores.enable();
        assertEquals(0, compileThen(SERVER, "true"));
        assertTrue(BackgroundStores.awaitIdle(60_000), "the background store finishes");
        assertEquals(1, stored(), "stored in the background: nothing moved");
        greet.clean();
        Files.writeString(greet.project.resolve("src/lib.rs"), "pub fn greet() -> &'static str { \"hi\" }\n");
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);

        assertEquals(0, compileThen(SERVER, "rm -r '" + nativeDir + "'"));
        assertTrue(BackgroundStores.awaitIdle(60_000), "the background store finishes");
        assertEquals(1, stored(), "nothing more stored: the directory listed before the compile is gone");
    }

    /** A search directory not there when rustc started and made while it ran may hold what it linked. */
    @Test
    void aNativeSearchDirMadeWhileRustcRanIsNotStored() throws Exception {
        assertEquals(0, compileThen("mkdir '" + temp.resolve("not-yet") + "'"));
        assertEquals(0, stored(), "a directory the call key found missing appeared");
    }

    /**
     * A file a link argument names, not there when rustc started and made while it ran, may be what
     * the linker read: nothing is stored (told from the keyed paths, the native inputs are not listed
     * again after the compile).
     */
    @Test
    void aFileNamedByALinkArgMadeWhileRustcRanIsNotStored() throws Exception {
        Path object = temp.resolve("extra.o");
        assertEquals(0, compileThen("printf 'obj' > '" + object + "'", "-C", "link-arg=" + object));
        assertEquals(0, stored(), "a file the call key found missing appeared");
    }

    /** A search directory a link argument names, made while rustc ran, may hold what the linker read. */
    @Test
    void aSearchDirNamedByALinkArgMadeWhileRustcRanIsNotStored() throws Exception {
        Path later = temp.resolve("later");
        assertEquals(0, compileThen("mkdir '" + later + "'", "-C", "link-arg=-L" + later));
        assertEquals(0, stored(), "a directory the call key found missing appeared");
    }

    /**
     * A native library written after the call key was computed but before rustc started (here while
     * the call's remote read waits on the remote) is what rustc reads but not what the key holds:
     * nothing is stored. The checks after the compile cannot see it, as it was written before their
     * start stamp.
     */
    @Test
    void aNativeLibraryWrittenBetweenTheKeyAndTheCompileIsNotStored() throws Exception {
        // The entry key of the call as it stands, from a first compile into a store of its own.
        greet.env.put("KACHE_CACHE_DIR", temp.resolve("first").toString());
        assertEquals(0, compileThen("true"));
        // The remote's object of that entry is a FIFO: the call's read of it waits until this test
        // opens it too, writes the library meanwhile, and ends the object empty (a miss of it).
        HeldRemoteEntry held = HeldRemoteEntry.ofTheOnlyEntryIn(temp.resolve("first"), temp, "greet");
        greet.env.put("KACHE_CONFIG", held.config().toString());
        greet.env.put("KACHE_CACHE_DIR", temp.resolve("store").toString());
        // Written before rustc's start stamp.
        Thread remote = held.release(temp,
                () -> Files.write(nativeDir.resolve("libmagic.a"), "!<arch>\nmagic-2".getBytes()));

        assertEquals(0, compileThen("true"));
        remote.join();

        assertEquals(0, stored(), "nothing stored under the key of the library hashed before");
    }

    /**
     * Runs the greet call with {@code -L native=DIR} and {@code extraArgs}, rustc followed by
     * {@code then} (as another process would).
     */
    private int compileThen(String then, String... extraArgs) throws Exception {
        return compileThen(OptionalLong.empty(), then, extraArgs);
    }

    /** As {@link #compileThen(String, String...)}, the call run by a server for {@code client} when given. */
    private int compileThen(OptionalLong client, String then, String... extraArgs) throws Exception {
        Path rustc = temp.resolve("racing-rustc");
        Files.writeString(rustc, "#!/bin/sh\n'" + spy.path() + "' \"$@\"; code=$?\n"
                + "case \" $* \" in *' --crate-name greet '*) " + then + " ;; esac\nexit $code\n");
        Files.setPosixFilePermissions(rustc, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> args = greet.compile();
        args.set(0, rustc.toString());
        // And one not made yet (cargo names OUT_DIRs before they hold anything): nothing that blocks a store.
        args.addAll(List.of("-L", "native=" + nativeDir, "-L", "native=" + temp.resolve("not-yet")));
        args.addAll(List.of(extraArgs));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = RustcWrapper.run(greet.invocation(args, out, client));
        assertEquals(List.of("greet"), spy.takeCompiled(), out::toString);
        return exit;
    }

    private int stored() throws Exception {
        try (LocalStore store = LocalStore.open(temp.resolve("store"), Long.MAX_VALUE)) {
            return store.list(Optional.of("greet")).size();
        }
    }
}
