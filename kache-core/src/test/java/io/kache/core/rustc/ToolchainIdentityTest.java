package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kache.core.store.LocalStore;
import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The banner is asked for once per compiler binary, again when the binary changes; behind rustup, of the binary that runs. */
class ToolchainIdentityTest {

    static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "RUSTUP_TOOLCHAIN", "stable");

    @TempDir
    Path temp;
    Path bin;
    Path counter;
    Path rustc;
    ToolchainIdentity identity;

    @BeforeEach
    void setUp() throws IOException {
        bin = Files.createDirectories(temp.resolve("toolchain/bin"));
        counter = temp.resolve("runs.log");
        rustc = bin.resolve("rustc");
        writeScript(rustc, "1.95.0", 0);
        identity = new ToolchainIdentity(memo("cache"));
    }

    @Test
    void runsOnceForTwoCalls() throws IOException {
        String first = identity.banner(rustc, ENV, temp);
        String second = identity.banner(rustc, ENV, temp);
        assertEquals(first, second);
        assertTrue(first.contains("release: 1.95.0"), first);
        assertEquals(1, runs());
    }

    /** A banner that cannot be remembered (a full store) is still the banner, asked again next time. */
    @Test
    void aBannerThatCannotBeRememberedIsStillTheBanner() throws IOException {
        ToolchainMemo store = memo("full");
        ToolchainMemo full = new ToolchainMemo() {
            @Override
            public java.util.Optional<String> read(String name) {
                return store.read(name);
            }

            @Override
            public void write(String name, String text) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public Path newTemp(String purpose) {
                return store.newTemp(purpose);
            }
        };
        ToolchainIdentity forgetful = new ToolchainIdentity(full);

        assertTrue(forgetful.banner(rustc, ENV, temp).contains("release: 1.95.0"));
        assertTrue(forgetful.banner(rustc, ENV, temp).contains("release: 1.95.0"));
        assertEquals(2, runs(), "not remembered: asked each time");
    }

    @Test
    void rememberedAcrossInstancesSharingTheCacheDir() throws IOException {
        String first = identity.banner(rustc, ENV, temp);
        assertEquals(first, new ToolchainIdentity(memo("cache")).banner(rustc, ENV, temp));
        assertEquals(1, runs());
        new ToolchainIdentity(memo("other-cache")).banner(rustc, ENV, temp);
        assertEquals(2, runs());
    }

    @Test
    void runsAgainAfterTheBinaryChangesSize() throws IOException {
        identity.banner(rustc, ENV, temp);
        FileTime mtime = Files.getLastModifiedTime(rustc);
        writeScript(rustc, "1.96.0-beta.1", 0);
        Files.setLastModifiedTime(rustc, mtime);
        assertTrue(identity.banner(rustc, ENV, temp).contains("release: 1.96.0-beta.1"));
        assertEquals(2, runs());
        identity.banner(rustc, ENV, temp);
        assertEquals(2, runs());
    }

    @Test
    void runsAgainAfterTheBinaryIsReplacedWithTheSameSize() throws IOException {
        identity.banner(rustc, ENV, temp);
        FileTime mtime = Files.getLastModifiedTime(rustc);
        writeScript(rustc, "1.96.0", 0);
        Files.setLastModifiedTime(rustc, FileTime.fromMillis(mtime.toMillis() + 5_000));
        assertTrue(identity.banner(rustc, ENV, temp).contains("release: 1.96.0"));
        assertEquals(2, runs());
    }

    @Test
    void symlinksToTheSameBinaryShareTheBanner() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("rustc-link"), rustc);
        identity.banner(rustc, ENV, temp);
        identity.banner(link, ENV, temp);
        assertEquals(1, runs());
    }

    /**
     * A rustup proxy, hard-linked as rustup installs it: the same path runs stable or nightly by
     * RUSTUP_TOOLCHAIN, the nearest rust-toolchain.toml and the default in settings.toml. The banner
     * is the toolchain's that runs, and asked once per toolchain, not once per call.
     */
    @Test
    void aHardLinkedRustupProxyIsKeyedByTheToolchainThatRuns() throws IOException {
        Path proxy = rustupHome(true);
        Map<String, String> stable = rustupEnv("stable");
        Map<String, String> nightly = rustupEnv("nightly");

        assertTrue(identity.banner(proxy, stable, temp).contains("release: 1.95.0"));
        assertTrue(identity.banner(proxy, nightly, temp).contains("release: 1.97.0-nightly"),
                "same proxy path, other toolchain");
        long asked = runs();
        assertTrue(identity.banner(proxy, stable, temp).contains("release: 1.95.0"));
        assertTrue(identity.banner(proxy, nightly, temp).contains("release: 1.97.0-nightly"));
        assertEquals(asked, runs(), "each selection is resolved once, each toolchain's banner asked once");
    }

    @Test
    void toolchainFilesAndTheDefaultPickTheToolchainToo() throws IOException {
        Path proxy = rustupHome(false);
        Map<String, String> env = rustupEnv(null);
        Path plain = Files.createDirectories(temp.resolve("plain/crate"));
        Path pinned = Files.createDirectories(temp.resolve("pinned/sub/crate"));
        Files.writeString(temp.resolve("pinned/rust-toolchain.toml"), "[toolchain]\nchannel = \"nightly\"\n");

        assertTrue(identity.banner(proxy, env, plain).contains("release: 1.95.0"), "the default");
        assertTrue(identity.banner(proxy, env, pinned).contains("release: 1.97.0-nightly"), "the toolchain file");
        assertTrue(identity.banner(proxy, rustupEnv("stable"), pinned).contains("release: 1.95.0"),
                "RUSTUP_TOOLCHAIN over the file");

        Files.writeString(temp.resolve("pinned/rust-toolchain.toml"), "[toolchain]\nchannel = \"stable\"\n");
        assertTrue(identity.banner(proxy, env, pinned).contains("release: 1.95.0"), "an edited toolchain file");
        Files.writeString(temp.resolve("rustup/settings.toml"), "default_toolchain = \"nightly\"\n");
        assertTrue(identity.banner(proxy, env, plain).contains("release: 1.97.0-nightly"), "`rustup default nightly`");
    }

    /** `rustup update`: the toolchain's path stays, its binary changes. */
    @Test
    void anUpdatedToolchainBehindTheProxyIsAskedAgain() throws IOException {
        Path proxy = rustupHome(true);
        Map<String, String> env = rustupEnv("stable");
        assertTrue(identity.banner(proxy, env, temp).contains("release: 1.95.0"));
        Path stableRustc = temp.resolve("rustup/toolchains/stable/bin/rustc");
        writeToolchain(stableRustc, "1.96.0");
        Files.setLastModifiedTime(stableRustc, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertTrue(identity.banner(proxy, env, temp).contains("release: 1.96.0"));
    }

    /**
     * {@code rustup toolchain link custom DIR} again with another directory ({@code ln -sfn}): the
     * selection's name and settings stay, the compiler that runs is another; and a toolchain given by
     * path whose link moves. Nothing else the selection holds changed, and the old toolchain is still
     * there to be named.
     */
    @Test
    void aReLinkedToolchainBehindTheProxyIsResolvedAgain() throws IOException {
        Path proxy = rustupHome(true);
        Path custom = Files.createSymbolicLink(temp.resolve("rustup/toolchains/custom"),
                temp.resolve("rustup/toolchains/stable"));
        assertTrue(identity.banner(proxy, rustupEnv("custom"), temp).contains("release: 1.95.0"));
        Files.delete(custom);
        Files.createSymbolicLink(custom, temp.resolve("rustup/toolchains/nightly"));
        assertTrue(identity.banner(proxy, rustupEnv("custom"), temp).contains("release: 1.97.0-nightly"),
                "the toolchain the link leads to now");
        long asked = runs();
        assertTrue(identity.banner(proxy, rustupEnv("custom"), temp).contains("release: 1.97.0-nightly"));
        assertEquals(asked, runs(), "still resolved once per selection");

        Path current = Files.createSymbolicLink(temp.resolve("current"), temp.resolve("rustup/toolchains/stable"));
        Map<String, String> byPath = rustupEnv(current.toString());
        assertTrue(identity.banner(proxy, byPath, temp).contains("release: 1.95.0"));
        Files.delete(current);
        Files.createSymbolicLink(current, temp.resolve("rustup/toolchains/nightly"));
        assertTrue(identity.banner(proxy, byPath, temp).contains("release: 1.97.0-nightly"), "RUSTUP_TOOLCHAIN=PATH");

        Path pinned = Files.createDirectories(temp.resolve("pinned/crate"));
        Files.writeString(temp.resolve("pinned/rust-toolchain.toml"), "[toolchain]\npath = \"../current\"\n");
        assertTrue(identity.banner(proxy, rustupEnv(null), pinned).contains("release: 1.97.0-nightly"));
        Files.delete(current);
        Files.createSymbolicLink(current, temp.resolve("rustup/toolchains/stable"));
        assertTrue(identity.banner(proxy, rustupEnv(null), pinned).contains("release: 1.95.0"), "a toolchain file's path");

        // The same path as a TOML literal string.
        Files.writeString(temp.resolve("pinned/rust-toolchain.toml"), "[toolchain]\npath = '../current'\n");
        assertTrue(identity.banner(proxy, rustupEnv(null), pinned).contains("release: 1.95.0"));
        Files.delete(current);
        Files.createSymbolicLink(current, temp.resolve("rustup/toolchains/nightly"));
        assertTrue(identity.banner(proxy, rustupEnv(null), pinned).contains("release: 1.97.0-nightly"),
                "a toolchain file's path in single quotes");
    }

    /**
     * The same through the real rustup proxy on {@code PATH}, with a {@code RUSTUP_HOME} whose default
     * is a linked toolchain, re-linked from this rustc's toolchain to another installed one.
     */
    @Test
    void theRealProxyOfAReLinkedToolchain() throws Exception {
        Optional<Path> proxy = Executables.find("rustc", System.getenv(), temp);
        assumeTrue(proxy.isPresent() && ToolchainIdentity.isRustupProxy(proxy.get().toRealPath()),
                "rustc on PATH is rustup's proxy");
        Path stable = Path.of(SpyRustc.realRustc()).getParent().getParent();
        Optional<Path> other;
        try (Stream<Path> installed = Files.list(stable.getParent())) {
            other = installed.filter(t -> !t.equals(stable) && Files.isRegularFile(t.resolve("bin/rustc"))).findFirst();
        }
        assumeTrue(other.isPresent(), "a second toolchain is installed beside " + stable);
        Path home = Files.createDirectories(temp.resolve("rh/toolchains")).getParent();
        Files.writeString(home.resolve("settings.toml"), "version = \"12\"\ndefault_toolchain = \"custom\"\n");
        Path custom = Files.createSymbolicLink(home.resolve("toolchains/custom"), stable);
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "HOME", System.getenv("HOME"),
                "RUSTUP_HOME", home.toString());

        String before = identity.banner(proxy.get(), env, temp);
        assertEquals(identity.banner(stable.resolve("bin/rustc"), env, temp), before);
        Files.delete(custom);
        Files.createSymbolicLink(custom, other.get());
        String after = identity.banner(proxy.get(), env, temp);
        assertEquals(identity.banner(other.get().resolve("bin/rustc"), env, temp), after);
        assertNotEquals(before, after);
    }

    /**
     * A call with RUSTC_OVERRIDE_VERSION_STRING (keyed with the call) must not write that version into
     * the banner remembered for the binary: it answered every later build's {@code rustc -vV} with it,
     * and a package's rust-version failed the build (found by a hunt). Real rustc, which reads it.
     */
    @Test
    void aVersionOverrideOfOneCallIsNotRememberedAsTheBanner() throws Exception {
        Path real = Path.of(SpyRustc.realRustc());
        Map<String, String> overridden = Map.of("PATH", System.getenv("PATH"), "HOME", System.getenv("HOME"),
                ToolchainIdentity.VERSION_OVERRIDE, "1.10.0");
        String first = identity.banner(real, overridden, temp);
        assertFalse(first.contains("release: 1.10.0"), first);
        String later = identity.banner(real, Map.of("PATH", System.getenv("PATH"), "HOME", System.getenv("HOME")), temp);
        assertEquals(first, later);
        assertFalse(new ToolchainIdentity(memo("cache")).banner(real, Map.of(), temp).contains("1.10.0"));
    }

    /** A symlinked proxy is recognised by its target's name; one whose sysroot says nothing is asked every time. */
    @Test
    void aSymlinkedProxyAndAnUnresolvableOne() throws IOException {
        rustupHome(false);
        Path link = Files.createSymbolicLink(temp.resolve("rustc"), temp.resolve("cargo-home/bin/rustup"));
        assertTrue(ToolchainIdentity.isRustupProxy(link.toRealPath()));
        assertTrue(identity.banner(link, rustupEnv("nightly"), temp).contains("release: 1.97.0-nightly"));

        Path odd = bin.resolve("rustup");
        writeScript(odd, "1.95.0", 0);
        Path oddLink = Files.createSymbolicLink(temp.resolve("odd-rustc"), odd);
        long before = runs();
        identity.banner(oddLink, ENV, temp);
        identity.banner(oddLink, ENV, temp);
        assertEquals(before + 4, runs(), "asked for a sysroot and the banner, each time");
        assertTrue(!ToolchainIdentity.isRustupProxy(rustc.toRealPath()), "a toolchain's own rustc is not a proxy");
    }

    /**
     * A fake rustup home with toolchains {@code stable} (1.95.0) and {@code nightly} (1.97.0-nightly),
     * default stable, and a proxy in {@code cargo-home/bin} choosing like rustup does.
     *
     * @return the proxy, hard-linked or symlinked to {@code rustup}
     */
    private Path rustupHome(boolean hardLink) throws IOException {
        Path home = temp.resolve("rustup");
        writeToolchain(Files.createDirectories(home.resolve("toolchains/stable/bin")).resolve("rustc"), "1.95.0");
        writeToolchain(Files.createDirectories(home.resolve("toolchains/nightly/bin")).resolve("rustc"),
                "1.97.0-nightly");
        Files.writeString(home.resolve("settings.toml"), "default_toolchain = \"stable\"\n");
        Path cargoBin = Files.createDirectories(temp.resolve("cargo-home/bin"));
        Path rustup = cargoBin.resolve("rustup");
        Files.writeString(rustup, "#!/bin/sh\n"
                + "echo proxy >> '" + counter + "'\n"
                + "tc=\"$RUSTUP_TOOLCHAIN\"\n"
                + "if [ -z \"$tc\" ]; then d=$(pwd); while :; do\n"
                + "  if [ -f \"$d/rust-toolchain.toml\" ]; then\n"
                + "    tc=$(sed -n 's/^channel = \"\\(.*\\)\"$/\\1/p' \"$d/rust-toolchain.toml\")\n"
                + "    p=$(sed -n 's/^path = .\\(.*\\).$/\\1/p' \"$d/rust-toolchain.toml\")\n"
                + "    [ -n \"$p\" ] && tc=\"$d/$p\"; break; fi\n"
                + "  [ \"$d\" = / ] && break; d=$(dirname \"$d\"); done; fi\n"
                + "if [ -z \"$tc\" ]; then\n"
                + "  tc=$(sed -n 's/^default_toolchain = \"\\(.*\\)\"$/\\1/p' \"$RUSTUP_HOME/settings.toml\"); fi\n"
                + "case \"$tc\" in */*) exec \"$tc/bin/rustc\" \"$@\";; esac\n"
                + "exec \"$RUSTUP_HOME/toolchains/$tc/bin/rustc\" \"$@\"\n");
        Files.setPosixFilePermissions(rustup, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path proxy = cargoBin.resolve("rustc");
        return hardLink ? Files.createLink(proxy, rustup) : Files.createSymbolicLink(proxy, rustup);
    }

    private Map<String, String> rustupEnv(String toolchain) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", "/usr/bin:/bin",
                "RUSTUP_HOME", temp.resolve("rustup").toString()));
        if (toolchain != null) {
            env.put("RUSTUP_TOOLCHAIN", toolchain);
        }
        return env;
    }

    /** A toolchain's rustc: answers -vV and --print sysroot (resolved), as the real one does. */
    private void writeToolchain(Path file, String release) throws IOException {
        Files.writeString(file, "#!/bin/sh\n"
                + "echo run >> '" + counter + "'\n"
                + "if [ \"$1\" = --print ] && [ \"$2\" = sysroot ]; then cd \"$(dirname \"$0\")/..\" && pwd -P; exit 0; fi\n"
                + "printf 'rustc " + release + " (fake)\\nbinary: rustc\\nrelease: " + release + "\\n'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void failuresAreReportedAndNotRemembered() throws IOException {
        writeScript(rustc, "1.95.0", 3);
        IOException e = assertThrows(IOException.class, () -> identity.banner(rustc, ENV, temp));
        assertTrue(e.getMessage().contains(rustc.toString()), e.getMessage());

        Files.writeString(rustc, "#!/bin/sh\necho run >> '" + counter + "'\necho 'rustc, but not really'\n");
        assertThrows(IOException.class, () -> identity.banner(rustc, ENV, temp));

        writeScript(rustc, "1.95.0-fixed", 0);
        assertTrue(identity.banner(rustc, ENV, temp).contains("release: 1.95.0-fixed"));
        assertEquals(3, runs());
    }

    @Test
    void aToolchainThatDoesNotAnswerInTimeIsAnIOExceptionNotAWait() throws IOException {
        // It prints its banner, then hangs with a child that holds its stdout: read through a pipe,
        // the question waited for the child whatever the timeout.
        Files.writeString(rustc, "#!/bin/sh\nprintf 'rustc 1.95.0\\nrelease: 1.95.0\\n'\nsleep 60 &\nexec sleep 60\n");
        ToolchainIdentity impatient = new ToolchainIdentity(memo("cache"), java.time.Duration.ofMillis(300));
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> impatient.banner(rustc, ENV, temp));
        assertTrue(e.getMessage().contains("did not answer within"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "waited " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /**
     * A script in front of rustc may run another toolchain when a variable says so ({@code RUSTC=shim},
     * {@code TC=nightly}): its banner is remembered per build environment, and the variables cargo
     * sets per crate do not count, so one build asks once.
     */
    @Test
    void aScriptIsAskedAgainInAnotherEnvironmentNotForEachCrate() throws IOException {
        Path shim = temp.resolve("rustc-shim");
        Files.writeString(shim, "#!/bin/sh\necho run >> '" + counter + "'\n"
                + "printf 'rustc %s (fake)\\nrelease: %s\\n' \"${TC:-1.95.0}\" \"${TC:-1.95.0}\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> stable = new java.util.HashMap<>(ENV);
        stable.put("CARGO_PKG_NAME", "one");
        stable.put("CARGO_CRATE_NAME", "one");
        stable.put("OUT_DIR", "/tmp/one");
        assertTrue(identity.banner(shim, stable, temp).contains("release: 1.95.0"));
        stable.put("CARGO_PKG_NAME", "two");
        stable.put("CARGO_CRATE_NAME", "two");
        stable.put("OUT_DIR", "/tmp/two");
        assertTrue(identity.banner(shim, stable, temp).contains("release: 1.95.0"));
        assertEquals(1, runs(), "another crate of the same build");
        Map<String, String> nightly = new java.util.HashMap<>(stable);
        nightly.put("TC", "1.97.0-nightly");
        assertTrue(identity.banner(shim, nightly, temp).contains("release: 1.97.0-nightly"));
        assertEquals(2, runs(), "another environment asks again");
        assertTrue(identity.banner(shim, stable, temp).contains("release: 1.95.0"));
        assertEquals(2, runs(), "each answer is remembered");
    }

    /**
     * A shim that adds flags ({@code exec rustc "$@" --cfg flavor_a}) passes the banner through
     * unchanged: the key's identity holds the script's content too, so an edited shim is another compiler.
     */
    @Test
    void theKeyedIdentityOfAScriptChangesWithItsContentNotItsBanner() throws IOException {
        Path shim = shim("--cfg flavor_a");
        ToolchainIdentity.Keyed a = identity.forKey(shim, ENV, temp, LinkerIdentityTest.SHA256, v -> v);
        shim("--cfg flavor_b");
        ToolchainIdentity.Keyed b = identity.forKey(shim, ENV, temp, LinkerIdentityTest.SHA256, v -> v);
        assertEquals(a.banner(), b.banner(), "the banner alone cannot tell them apart");
        assertNotEquals(a.identity(), b.identity());
    }

    /**
     * A shim that reads its flags from the environment ({@code $SHIM_FLAGS}): another value of a
     * variable that is not cargo's is another identity; cargo's per-unit variables, kache's own and
     * the call's directory are not (the key is shared across crates of a build and across checkouts).
     */
    @Test
    void theKeyedIdentityOfAScriptChangesWithItsEnvironmentButNotWithCargosPerUnitOrKachesVariables() throws IOException {
        Path shim = shim("$SHIM_FLAGS");
        Map<String, String> envA = new java.util.HashMap<>(ENV);
        envA.put("SHIM_FLAGS", "--cfg flavor_a");
        envA.put("CARGO_PKG_NAME", "one");
        envA.put("OUT_DIR", "/tmp/one");
        String a = identity.forKey(shim, envA, temp, LinkerIdentityTest.SHA256, v -> v).identity();

        Map<String, String> envB = new java.util.HashMap<>(envA);
        envB.put("SHIM_FLAGS", "--cfg flavor_b");
        assertNotEquals(a, identity.forKey(shim, envB, temp, LinkerIdentityTest.SHA256, v -> v).identity());

        Map<String, String> otherUnit = new java.util.HashMap<>(envA);
        otherUnit.put("CARGO_PKG_NAME", "two");
        otherUnit.put("OUT_DIR", "/tmp/two");
        otherUnit.put("KACHE_CACHE_DIR", "/another/machines/store");
        otherUnit.put("OLDPWD", "/where/the/shell/was");
        // Reached through kache's sh launcher: the shell set PWD to where it runs, and nested one deeper.
        otherUnit.put("PWD", "/where/the/launcher/ran");
        otherUnit.put("SHLVL", "3");
        Path elsewhere = Files.createDirectories(temp.resolve("other-checkout"));
        assertEquals(a, identity.forKey(shim, otherUnit, elsewhere, LinkerIdentityTest.SHA256, v -> v).identity());
        assertEquals(a, identity.forKey(shim, envA, temp, LinkerIdentityTest.SHA256, v -> v).identity(),
                "the same script and environment: the same identity");
    }

    /**
     * The call key leaves {@code RUSTFLAGS} and {@code CARGO_ENCODED_RUSTFLAGS} to the arguments, since
     * rustc reads neither; a script in front of rustc may apply them itself, so its identity keys both.
     */
    @Test
    void theKeyedIdentityOfAScriptChangesWithTheRustflagsVariables() throws IOException {
        Path shim = shim("$RUSTFLAGS");
        String none = identity.forKey(shim, ENV, temp, LinkerIdentityTest.SHA256, v -> v).identity();
        for (String name : List.of("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS")) {
            Map<String, String> env = new java.util.HashMap<>(ENV);
            env.put(name, "--cfg=shimmed");
            assertNotEquals(none, identity.forKey(shim, env, temp, LinkerIdentityTest.SHA256, v -> v).identity(), name);
        }
    }

    /** The script's environment is keyed through the key's path sentinels, as every other path. */
    @Test
    void aScriptsEnvironmentIsNormalizedLikeTheRestOfTheKey() throws IOException {
        Path shim = shim("$SHIM_FLAGS");
        Map<String, String> envA = new java.util.HashMap<>(ENV);
        envA.put("SHIM_FLAGS", "-L /checkouts/a/lib");
        Map<String, String> envB = new java.util.HashMap<>(ENV);
        envB.put("SHIM_FLAGS", "-L /checkouts/b/lib");
        assertEquals(identity.forKey(shim, envA, temp, LinkerIdentityTest.SHA256, v -> v.replace("/checkouts/a", "$ws")).identity(),
                identity.forKey(shim, envB, temp, LinkerIdentityTest.SHA256, v -> v.replace("/checkouts/b", "$ws")).identity());
    }

    /**
     * A compiled rustc (not a script) is keyed by its banner and its content, never by the
     * environment: another value of an unrelated variable still shares the entry.
     */
    @Test
    void theKeyedIdentityOfACompiledRustcIgnoresTheEnvironmentAndHoldsItsContent() throws IOException {
        Path compiled = bin.resolve("rustc-compiled");
        Files.write(compiled, new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        Files.setPosixFilePermissions(compiled, PosixFilePermissions.fromString("rwxr-xr-x"));
        String banner = "rustc 1.95.0 (fake)\nbinary: rustc\nrelease: 1.95.0\n";
        identity.rememberBanner(compiled, banner, ENV, temp);
        Map<String, String> other = new java.util.HashMap<>(ENV);
        other.put("SOME_UNRELATED_VARIABLE", "x");
        ToolchainIdentity.Keyed a = identity.forKey(compiled, ENV, temp, LinkerIdentityTest.SHA256, v -> v);
        ToolchainIdentity.Keyed b = identity.forKey(compiled, other, temp, LinkerIdentityTest.SHA256, v -> v);
        assertEquals(banner, a.banner());
        assertEquals(a, b);
        assertTrue(a.identity().contains(LinkerIdentityTest.SHA256.sha256(compiled)), a.identity());
        assertEquals(0, runs(), "the banner came from the memo");
    }

    /** Behind rustup's proxy, the content keyed is the toolchain's rustc that runs, not rustup's. */
    @Test
    void behindTheProxyTheKeyedContentIsTheToolchainsRustc() throws IOException {
        Path proxy = rustupHome(true);
        String keyed = identity.forKey(proxy, rustupEnv("stable"), temp, LinkerIdentityTest.SHA256, v -> v).identity();
        Path behind = temp.resolve("rustup/toolchains/stable/bin/rustc");
        assertTrue(keyed.contains(LinkerIdentityTest.SHA256.sha256(behind)), keyed);
    }

    private Path shim(String flags) throws IOException {
        Path shim = temp.resolve("rustc-shim");
        Files.writeString(shim, "#!/bin/sh\nexec '" + rustc + "' \"$@\" " + flags + "\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        return shim;
    }

    @Test
    void missingBinaryIsAnIOException() {
        assertThrows(IOException.class, () -> identity.banner(bin.resolve("no-such-rustc"), ENV, temp));
    }

    private void writeScript(Path file, String release, int exit) throws IOException {
        Files.writeString(file, "#!/bin/sh\n"
                + "echo run >> '" + counter + "'\n"
                + "printf 'rustc " + release + " (fake)\\nbinary: rustc\\nrelease: " + release + "\\n'\n"
                + "echo \"toolchain: $RUSTUP_TOOLCHAIN\"\n"
                + "exit " + exit + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private long runs() throws IOException {
        return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
    }

    private final List<LocalStore> stores = new ArrayList<>();

    /** The toolchain memo of a local store at {@code temp/name}. */
    private ToolchainMemo memo(String name) throws IOException {
        LocalStore store = LocalStore.open(temp.resolve(name), 1L << 30);
        stores.add(store);
        return store.toolchainMemo();
    }

    @AfterEach
    void closeStores() throws IOException {
        for (LocalStore s : stores) {
            s.close();
        }
    }
}
