package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.hash.FileHasher;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkerIdentityTest {

    static final FileHasher SHA256 = file -> {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    };

    @TempDir
    Path temp;
    LocalStore store;
    Path binA;
    Path binB;

    @BeforeEach
    void setUp() throws IOException {
        binA = Files.createDirectories(temp.resolve("a/bin"));
        binB = Files.createDirectories(temp.resolve("b/bin"));
    }

    @Test
    void defaultLinkerIsCcFoundOnPathAndIdentifiedByContent() throws IOException {
        executable(binA.resolve("gcc-13"), "gcc 13");
        Files.createSymbolicLink(binA.resolve("cc"), binA.resolve("gcc-13"));
        executable(binB.resolve("cc"), "clang 18");
        String a = LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA + ":" + binB), temp, SHA256);
        assertEquals("gcc-13:" + SHA256.sha256(binA.resolve("gcc-13")), a);
        String b = LinkerIdentity.of(Optional.empty(), Map.of("PATH", binB + ":" + binA), temp, SHA256);
        assertEquals("cc:" + SHA256.sha256(binB.resolve("cc")), b);
    }

    @Test
    void sameBinaryAtTwoPlacesIsTheSameLinker() throws IOException {
        executable(binA.resolve("cc"), "gcc 13");
        executable(binB.resolve("cc"), "gcc 13");
        assertEquals(LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA.toString()), temp, SHA256),
                LinkerIdentity.of(Optional.empty(), Map.of("PATH", binB.toString()), temp, SHA256));
    }

    @Test
    void explicitLinkerByNameOrPath() throws IOException {
        executable(binA.resolve("clang"), "clang 18");
        executable(binA.resolve("cc"), "gcc 13");
        Map<String, String> env = Map.of("PATH", binA.toString());
        String byName = LinkerIdentity.of(Optional.of("clang"), env, temp, SHA256);
        assertEquals("clang:" + SHA256.sha256(binA.resolve("clang")), byName);
        assertEquals(byName, LinkerIdentity.of(Optional.of("a/bin/clang"), env, temp, SHA256));
        assertNotEquals(byName, LinkerIdentity.of(Optional.empty(), env, temp, SHA256));
    }

    @Test
    void unresolvedLinkerIsNamed() throws IOException {
        Files.createDirectories(binA.resolve("cc"));
        assertEquals("unresolved:cc", LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA.toString()), temp, SHA256));
        assertEquals("unresolved:./nope", LinkerIdentity.of(Optional.of("./nope"), Map.of(), temp, SHA256));
    }

    /**
     * A linker wrapper script ({@code exec cc "$@" $LDEXTRA}) links another object when a variable
     * says so: its identity holds its environment, without cargo's per-unit variables.
     */
    @Test
    void aLinkerScriptIsKeyedByItsContentAndItsEnvironment() throws IOException {
        Path wrap = binA.resolve("cc-wrap");
        script(wrap, "exec cc \"$@\" $LDEXTRA");
        Map<String, String> env1 = new java.util.HashMap<>(Map.of("PATH", binA.toString(), "LDEXTRA", "/x/m1.o",
                "CARGO_PKG_NAME", "one"));
        String one = LinkerIdentity.of(Optional.of(wrap.toString()), env1, temp, SHA256);
        assertEquals(one, LinkerIdentity.of(Optional.of(wrap.toString()), env1, temp, SHA256), "the same call again");

        Map<String, String> env2 = new java.util.HashMap<>(env1);
        env2.put("LDEXTRA", "/x/m2.o");
        assertNotEquals(one, LinkerIdentity.of(Optional.of(wrap.toString()), env2, temp, SHA256));

        Map<String, String> otherUnit = new java.util.HashMap<>(env1);
        otherUnit.put("CARGO_PKG_NAME", "two");
        otherUnit.put("OUT_DIR", "/t/out");
        assertEquals(one, LinkerIdentity.of(Optional.of(wrap.toString()), otherUnit, temp, SHA256),
                "cargo's per-unit variables are not the linker's identity");

        script(wrap, "exec cc \"$@\" /x/m2.o");
        assertNotEquals(one, LinkerIdentity.of(Optional.of(wrap.toString()), env1, temp, SHA256), "edited");
    }

    /** A compiled linker is its content alone: an unrelated variable does not change it. */
    @Test
    void aCompiledLinkerIgnoresTheEnvironment() throws IOException {
        executable(binA.resolve("cc"), "gcc 13");
        assertEquals(LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA.toString()), temp, SHA256),
                LinkerIdentity.of(Optional.empty(), Map.of("PATH", binA.toString(), "LDEXTRA", "/x/m2.o"), temp,
                        SHA256));
    }

    /**
     * {@code -C link-arg=-fuse-ld=bfd}: gcc runs the {@code ld.bfd} first on PATH (it has none of its
     * own), so two of them are two linkers with one {@code cc}. Asks the machine's real gcc.
     */
    @Test
    void aLinkerChosenWithFuseLdIsTheOneTheRealDriverFinds() throws IOException {
        Path cc = Path.of("/usr/bin/cc");
        Assumptions.assumeTrue(Files.isExecutable(cc), "needs a C compiler driver at /usr/bin/cc");
        executable(binA.resolve("ld.bfd"), "bfd 1111");
        executable(binB.resolve("ld.bfd"), "bfd 2222");
        List<String> fuseBfd = List.of("-fuse-ld=bfd");
        String a = of(cc.toString(), fuseBfd, Map.of("PATH", binA + ":/usr/bin:/bin"));
        String b = of(cc.toString(), fuseBfd, Map.of("PATH", binB + ":/usr/bin:/bin"));
        assertNotEquals(a, b);
        assertTrue(a.endsWith("\nruns ld.bfd:" + SHA256.sha256(binA.resolve("ld.bfd"))), a);
        assertNotEquals(of(cc.toString(), List.of(), Map.of("PATH", binA + ":/usr/bin:/bin")), a,
                "the driver alone is another identity");

        executable(binB.resolve("ld.bfd"), "bfd 1111");
        assertEquals(a, of(cc.toString(), fuseBfd, Map.of("PATH", binB + ":/usr/bin:/bin")),
                "the same program elsewhere is the same linker");
    }

    /** The driver is asked once per selection: a call then costs stats, not a process. */
    @Test
    void theDriversAnswerIsRemembered() throws IOException {
        Path cc = fakeDriver("cc");
        executable(binA.resolve("ld.mold"), "mold 2");
        Map<String, String> env = Map.of("PATH", binA.toString());
        String first = of(cc.toString(), List.of("-fuse-ld=mold"), env);
        assertTrue(first.endsWith("\nruns ld.mold:" + SHA256.sha256(binA.resolve("ld.mold"))), first);
        assertEquals(first, of(cc.toString(), List.of("-fuse-ld=mold"), env));
        assertEquals(1, driverRuns());

        // Found again on PATH by each call: a changed program needs no new answer.
        executable(binA.resolve("ld.mold"), "mold 3");
        assertNotEquals(first, of(cc.toString(), List.of("-fuse-ld=mold"), env));
        assertEquals(1, driverRuns());

        of(cc.toString(), List.of("-fuse-ld=mold"), Map.of("PATH", binA + ":" + binB));
        assertEquals(2, driverRuns(), "another PATH is another selection");
    }

    /** {@code -B DIR}: the driver finds the program there first; one added there later is noticed. */
    @Test
    void aPrefixTheDriverSearchesFirst() throws IOException {
        Path cc = fakeDriver("cc");
        Path prefix = Files.createDirectories(temp.resolve("libexec/mold"));
        executable(binA.resolve("ld"), "bfd");
        Map<String, String> env = Map.of("PATH", binA.toString());
        List<String> args = List.of("-B" + prefix);
        String before = of(cc.toString(), args, env);
        assertTrue(before.endsWith("\nruns ld:" + SHA256.sha256(binA.resolve("ld"))), before);

        executable(prefix.resolve("ld"), "mold");
        Files.setLastModifiedTime(prefix, FileTime.fromMillis(Files.getLastModifiedTime(prefix).toMillis() + 5_000));
        String after = of(cc.toString(), args, env);
        assertTrue(after.endsWith("\nruns ld:" + SHA256.sha256(prefix.resolve("ld"))), after);
        assertEquals(2, driverRuns());
    }

    @Test
    void aPathIsNotAskedFor() throws IOException {
        Path cc = fakeDriver("cc");
        executable(binB.resolve("mold"), "mold");
        String id = of(cc.toString(), List.of("--ld-path=" + binB.resolve("mold")), Map.of("PATH", binA.toString()));
        assertTrue(id.endsWith("\nruns mold:" + SHA256.sha256(binB.resolve("mold"))), id);
        assertEquals(0, driverRuns());
        assertTrue(of(cc.toString(), List.of("-fuse-ld=/nowhere/ld"), Map.of("PATH", binA.toString()))
                .endsWith("\nruns unresolved:/nowhere/ld"));
    }

    @Test
    void aProgramFoundNowhereIsNamed() throws IOException {
        Path cc = fakeDriver("cc");
        assertTrue(of(cc.toString(), List.of("-fuse-ld=mold"), Map.of("PATH", binA.toString()))
                .endsWith("\nruns unresolved:ld.mold"));
    }

    /** A driver that does not answer {@code -print-prog-name}: the call is not keyable, remembered so. */
    @Test
    void aDriverThatDoesNotSayLeavesTheCallUnkeyed() throws IOException {
        Path cc = binA.resolve("cc");
        script(cc, "echo run >> " + temp.resolve("driver.log") + "; exit 1");
        Map<String, String> env = Map.of("PATH", binA.toString());
        assertThrows(LinkerIdentity.UnnamedLinkerException.class, () -> of(cc.toString(), List.of("-fuse-ld=mold"), env));
        assertThrows(LinkerIdentity.UnnamedLinkerException.class, () -> of(cc.toString(), List.of("-fuse-ld=mold"), env));
        assertEquals(1, driverRuns());
    }

    /**
     * {@code -C linker=ld.lld -C link-arg=-Bsymbolic}: a linker run directly reads {@code -B…} as its
     * own option; it is not asked which program it runs and the call is keyed by the linker, as before.
     */
    @Test
    void aLinkerRunDirectlyIsNotAskedAboutItsBOptions() throws IOException {
        Map<String, String> env = Map.of("PATH", binA.toString());
        for (String direct : List.of("ld.lld", "mold", "arm-none-eabi-ld", "rust-lld")) {
            Path linker = binA.resolve(direct);
            script(linker, "echo run >> " + temp.resolve("driver.log") + "; exit 1");
            String alone = of(linker.toString(), List.of(), env);
            for (String option : List.of("-Bsymbolic", "-Bstatic", "-Bdynamic", "-Bsymbolic-functions", "-fuse-ld=mold")) {
                assertEquals(alone, of(linker.toString(), List.of(option, "-lm"), env), direct + " " + option);
            }
        }
        assertEquals(0, driverRuns());
    }

    /**
     * {@code RUSTFLAGS=-C link-arg=-fuse-ld=mold}: each dependency's build script links in its own
     * crate's directory; with nothing relative to look up, one answer serves them all.
     */
    @Test
    void oneQuestionForEveryCrateDirectory() throws IOException {
        Path cc = fakeDriver("cc");
        executable(binA.resolve("ld.mold"), "mold 2");
        Map<String, String> env = Map.of("PATH", binA.toString());
        Path one = Files.createDirectories(temp.resolve("registry/one-1.0"));
        Path two = Files.createDirectories(temp.resolve("registry/two-2.0"));
        String first = of(cc.toString(), List.of("-fuse-ld=mold"), env, one);
        assertEquals(first, of(cc.toString(), List.of("-fuse-ld=mold"), env, two));
        assertEquals(1, driverRuns());
    }

    /** A relative prefix is looked up from the call's directory: each directory is asked about. */
    @Test
    void aRelativePrefixIsAskedAboutPerDirectory() throws IOException {
        Path cc = fakeDriver("cc");
        executable(binA.resolve("ld"), "bfd");
        Path one = Files.createDirectories(temp.resolve("one"));
        Path two = Files.createDirectories(temp.resolve("two"));
        Files.createDirectories(two.resolve("tools"));
        executable(two.resolve("tools/ld"), "mold");
        Map<String, String> env = Map.of("PATH", binA.toString());
        assertTrue(of(cc.toString(), List.of("-Btools"), env, one).endsWith("\nruns ld:" + SHA256.sha256(binA.resolve("ld"))));
        assertTrue(of(cc.toString(), List.of("-Btools"), env, two)
                .endsWith("\nruns ld:" + SHA256.sha256(two.resolve("tools/ld"))));
        assertEquals(2, driverRuns());
    }

    /** clang with {@code --target=aarch64-linux-gnu -fuse-ld=lld} runs {@code aarch64-linux-gnu-ld.lld} when there is one. */
    @Test
    void theTargetIsPartOfTheQuestion() throws IOException {
        Path clang = binA.resolve("clang");
        script(clang, "echo run >> " + temp.resolve("driver.log") + "\n"
                + "for a; do case \"$a\" in --target=*) t=\"${a#--target=}\";; -print-prog-name=*) n=\"${a#-print-prog-name=}\";;"
                + " esac; done\n"
                + "if [ -n \"$t\" ] && [ -x \"" + binA + "/$t-$n\" ]; then echo \"" + binA + "/$t-$n\"; else echo \"$n\"; fi");
        executable(binA.resolve("ld.lld"), "lld host");
        executable(binA.resolve("aarch64-linux-gnu-ld.lld"), "lld aarch64");
        Map<String, String> env = Map.of("PATH", binA.toString());
        String cross = of(clang.toString(), List.of("--target=aarch64-linux-gnu", "-fuse-ld=lld"), env);
        assertTrue(cross.endsWith("\nruns aarch64-linux-gnu-ld.lld:" + SHA256.sha256(binA.resolve("aarch64-linux-gnu-ld.lld"))),
                cross);
        String host = of(clang.toString(), List.of("-fuse-ld=lld"), env);
        assertTrue(host.endsWith("\nruns ld.lld:" + SHA256.sha256(binA.resolve("ld.lld"))), host);
    }

    private String of(String linker, List<String> linkArgs, Map<String, String> env) throws IOException {
        return of(linker, linkArgs, env, temp);
    }

    private String of(String linker, List<String> linkArgs, Map<String, String> env, Path cwd) throws IOException {
        return LinkerIdentity.of(Optional.of(linker), linkArgs, env, cwd, SHA256, UnaryOperator.identity(),
                new LinkerPrograms(memo()));
    }

    private ToolchainMemo memo() throws IOException {
        if (store == null) {
            store = LocalStore.open(temp.resolve("store"), 1L << 30);
        }
        return store.toolchainMemo();
    }

    @AfterEach
    void closeStore() throws IOException {
        if (store != null) {
            store.close();
        }
    }

    /** A driver that answers {@code -print-prog-name=NAME} as gcc does, counting its runs. */
    private Path fakeDriver(String name) throws IOException {
        Path cc = binA.resolve(name);
        script(cc, "echo run >> " + temp.resolve("driver.log") + "\n"
                + "for a; do case \"$a\" in -B*) pre=\"${a#-B}\";; -print-prog-name=*) n=\"${a#-print-prog-name=}\"\n"
                + "  if [ -n \"$pre\" ] && [ -x \"$pre/$n\" ]; then echo \"$pre/$n\"; else echo \"$n\"; fi;; esac; done");
        return cc;
    }

    private long driverRuns() throws IOException {
        Path log = temp.resolve("driver.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private static void script(Path file, String line) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + line + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A compiled linker: its first bytes are no {@code #!}. */
    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, "\u007fELF " + content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
