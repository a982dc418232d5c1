package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * clippy's configuration file is in the call key by content, read before clippy-driver runs. One
 * written, made or removed while it runs may be what clippy read: the entry must not be stored under
 * the key of the file as it was. clippy lists the file it loaded in its dep-info, so one written or
 * made is checked with the crate's sources; one removed is listed nowhere (found by review: only
 * dep-info and native inputs were checked after the compile, and clippy's defaults were stored under
 * the key of the configuration). Run with the toolchain's own clippy-driver, behind a script that
 * changes the file just before clippy reads it, as another process would.
 */
class ClippyConfigRaceTest {

    @TempDir
    Path temp;
    GreetCrate greet;
    Path clippy;

    @BeforeEach
    void setUp() throws Exception {
        greet = GreetCrate.in(temp, temp.resolve("store"));
        clippy = Path.of(SpyRustc.realRustc()).resolveSibling("clippy-driver");
        assumeTrue(Files.isExecutable(clippy), "no clippy-driver in the toolchain");
        greet.env.put("CARGO_PRIMARY_PACKAGE", "1");
        Files.writeString(greet.project.resolve("src/lib.rs"), "pub fn greet() -> u32 { let foo = 1; foo }\n");
    }

    @Test
    void anUnchangedConfigurationLetsTheEntryBeStored() throws Exception {
        Files.writeString(greet.project.resolve("clippy.toml"), "disallowed-names = [\"foo\"]\n");
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);
        String out = clippyAfter("true");
        assertTrue(out.contains("clippy::disallowed_names"), "clippy linted: " + out);
        assertEquals(1, stored(), "stored: nothing moved");
    }

    @Test
    void aConfigurationWrittenWhileClippyRanIsNotStored() throws Exception {
        Files.writeString(greet.project.resolve("clippy.toml"), "disallowed-names = [\"foo\"]\n");
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);
        clippyAfter("echo 'disallowed-names = []' > clippy.toml");
        assertEquals(0, stored(), "nothing stored under the key of the configuration hashed before");
    }

    @Test
    void aConfigurationMadeWhileClippyRanIsNotStored() throws Exception {
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);
        clippyAfter("echo 'disallowed-names = []' > .clippy.toml");
        assertEquals(0, stored(), "a configuration appeared where the key found none");
    }

    @Test
    void aConfigurationRemovedWhileClippyRanIsNotStored() throws Exception {
        Files.writeString(greet.project.resolve("clippy.toml"), "disallowed-names = [\"foo\"]\n");
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);
        clippyAfter("rm clippy.toml");
        assertEquals(0, stored(), "the configuration hashed before is gone");
    }

    /**
     * A CLIPPY_CONF_DIR not there when the key was computed (clippy fails on it, and is keyed so) and
     * made while clippy-driver ran lets clippy succeed with whatever it then finds from there: not
     * stored under the key of the missing directory.
     */
    @Test
    void aConfigurationDirectoryMadeWhileClippyRanIsNotStored() throws Exception {
        Path confDir = temp.resolve("conf");
        greet.env.put("CLIPPY_CONF_DIR", confDir.toString());
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);
        clippyAfter("mkdir '" + confDir + "'");
        assertEquals(0, stored(), "a configuration directory appeared where the key found none");
    }

    /**
     * A configuration removed after the call key was computed but before clippy-driver started (here
     * while the call's remote read waits on the remote) is not what clippy reads: nothing is stored.
     * The checks after the compile cannot see it, as it was removed before their start stamp, and the
     * dep-info lists no configuration then.
     */
    @Test
    void aConfigurationRemovedBetweenTheKeyAndTheCompileIsNotStored() throws Exception {
        Path config = greet.project.resolve("clippy.toml");
        Files.writeString(config, "disallowed-names = [\"foo\"]\n");
        io.kache.core.hash.FileClockTicks.awaitNextTick(temp);
        // The entry key of the call as it stands, from a first call into a store of its own.
        greet.env.put("KACHE_CACHE_DIR", temp.resolve("first").toString());
        clippyAfter("true");
        // The remote's object of that entry is a FIFO: the call's read of it waits until this test
        // opens it too, removes the configuration meanwhile, and ends the object empty (a miss of it).
        HeldRemoteEntry held = HeldRemoteEntry.ofTheOnlyEntryIn(temp.resolve("first"), temp, "greet");
        greet.env.put("KACHE_CONFIG", held.config().toString());
        greet.env.put("KACHE_CACHE_DIR", temp.resolve("store").toString());
        Thread remote = held.release(temp, () -> Files.delete(config));   // removed before the start stamp

        clippyAfter("true");
        remote.join();

        assertEquals(0, stored(), "clippy's defaults are not stored under the key of the configuration");
    }

    /**
     * Runs the greet call as {@code cargo clippy} does (kache, clippy-driver, rustc), {@code before}
     * running in the crate's directory just before clippy-driver compiles; what the call printed.
     */
    private String clippyAfter(String before) throws Exception {
        Path driver = temp.resolve("bin/clippy-driver");
        Files.createDirectories(driver.getParent());
        Files.writeString(driver, "#!/bin/sh\ncase \" $* \" in *' --crate-name greet '*) " + before + " ;; esac\n"
                + "exec '" + clippy + "' \"$@\"\n");
        Files.setPosixFilePermissions(driver, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> args = greet.compile();
        args.set(args.indexOf("--emit=dep-info,metadata,link"), "--emit=dep-info,metadata");
        args.add(0, driver.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, RustcWrapper.run(greet.invocation(args, out, OptionalLong.empty())), out::toString);
        return out.toString();
    }

    private int stored() throws Exception {
        try (LocalStore store = LocalStore.open(temp.resolve("store"), Long.MAX_VALUE)) {
            return store.list(Optional.of("greet")).size();
        }
    }
}
