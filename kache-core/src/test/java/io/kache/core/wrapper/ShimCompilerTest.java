package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RUSTC} is a shim script that adds flags ({@code exec rustc "$@" --cfg flavor_a}, or
 * {@code $SHIM_FLAGS}), with the real rustc behind it. Its banner is rustc's whatever it adds, so
 * a key of the banner alone served the first flavor's library to the second.
 */
class ShimCompilerTest {

    @TempDir
    Path temp;
    GreetCrate greet;
    Path shim;

    @BeforeEach
    void setUp() throws Exception {
        greet = GreetCrate.in(temp, temp.resolve("store"));
        Files.writeString(greet.project.resolve("src/lib.rs"), """
                #[cfg(flavor_a)] pub static FLAVOR: &str = "flavour-is-AAAA";
                #[cfg(flavor_b)] pub static FLAVOR: &str = "flavour-is-BBBB";
                """);
        shim = temp.resolve("shim");
    }

    @Test
    void anEditedShimCompilesItsOwnFlavor() throws Exception {
        writeShim("--cfg flavor_a");
        assertEquals(0, call());
        assertEquals(List.of("greet"), greet.spy.takeCompiled());
        assertEquals("AAAA", flavor());
        greet.clean();
        assertEquals(0, call());
        assertEquals(List.of(), greet.spy.takeCompiled(), "the same shim hits");

        writeShim("--cfg flavor_b");
        greet.clean();
        assertEquals(0, call());
        assertEquals(List.of("greet"), greet.spy.takeCompiled(), "another shim is another compiler");
        assertEquals("BBBB", flavor());
    }

    @Test
    void aShimReadingItsFlagsFromTheEnvironmentCompilesEachFlavor() throws Exception {
        writeShim("$SHIM_FLAGS");
        greet.env.put("SHIM_FLAGS", "--cfg flavor_a");
        assertEquals(0, call());
        assertEquals("AAAA", flavor());

        greet.env.put("SHIM_FLAGS", "--cfg flavor_b");
        greet.clean();
        assertEquals(0, call());
        assertEquals("BBBB", flavor());

        greet.env.put("SHIM_FLAGS", "--cfg flavor_a");
        greet.clean();
        greet.spy.takeCompiled();
        assertEquals(0, call());
        assertEquals(List.of(), greet.spy.takeCompiled(), "each flavor has its own entry");
        assertEquals("AAAA", flavor());
    }

    private void writeShim(String flags) throws IOException {
        Files.writeString(shim, "#!/bin/sh\nexec '" + greet.spy.path() + "' \"$@\" " + flags + "\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private int call() {
        List<String> args = greet.compile();
        args.set(0, shim.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = RustcWrapper.run(greet.invocation(args, out, OptionalLong.empty()));
        assertEquals(0, exit, () -> out.toString(StandardCharsets.UTF_8));
        return exit;
    }

    /** Which flavor the library holds: AAAA, BBBB, or what it holds instead. */
    private String flavor() throws IOException {
        String rlib = new String(Files.readAllBytes(greet.deps.resolve("libgreet" + GreetCrate.EXTRA + ".rlib")),
                StandardCharsets.ISO_8859_1);
        boolean a = rlib.contains("flavour-is-AAAA");
        boolean b = rlib.contains("flavour-is-BBBB");
        assertTrue(a != b, "exactly one flavor");
        return a ? "AAAA" : "BBBB";
    }
}
