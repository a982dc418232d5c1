package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.rustc.PathSentinels;
import io.kache.core.rustc.RustcArgsParser;
import io.kache.core.rustc.RustcCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the linker reads that no argument names directly, keyed by content (found by review, each
 * served a program linked against an older library with real cargo): a verbatim {@code -l} name
 * with a directory part, the objects a response file lists, the archives a text {@code lib*.so}
 * (a linker script, like glibc's {@code libc.so}) names, a script's {@code INCLUDE}.
 */
class IndirectLinkInputsKeyTest {

    @TempDir
    Path ws;

    private static final byte[] ARCHIVE_V1 = "!<arch>\nmagic-1".getBytes();
    private static final byte[] ARCHIVE_V2 = "!<arch>\nmagic-2".getBytes();

    /** The key of a program's call with {@code extra} arguments. */
    private String key(List<String> extra) throws Exception {
        return callKey(List.of("--crate-name", "app", "src/main.rs", "--crate-type", "bin", "--emit=dep-info,link"), extra);
    }

    /** The key of a library's call, which links nothing, with {@code extra} arguments. */
    private String libKey(List<String> extra) throws Exception {
        return callKey(List.of("--crate-name", "app", "src/lib.rs", "--crate-type", "lib",
                "--emit=dep-info,metadata,link"), extra);
    }

    private String callKey(List<String> base, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("--out-dir", ws.resolve("out").toString()));
        args.addAll(extra);
        RustcCall call = (RustcCall) RustcArgsParser.parse(Path.of("/usr/bin/rustc"), args, ws);
        // PATH: the linker (cc, a C compiler driver) is found as rustc would find it.
        KeyContext ctx = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)),
                Map.of("PATH", System.getenv("PATH")), ws, "", Optional.empty(), Sha256Files.HASHER);
        return CacheKeyRecipe.callKey(call, ctx);
    }

    /** {@code -l static:+verbatim=sub/libmagic.a} with {@code -L native=DIR}: the linker opens DIR/sub/libmagic.a. */
    @Test
    void aVerbatimLibraryInASubdirectoryOfASearchDirIsKeyed() throws Exception {
        Path one = Files.createDirectories(ws.resolve("nroot/sub"));
        Path two = Files.createDirectories(ws.resolve("nroot2"));
        Files.write(one.resolve("libmagic.a"), ARCHIVE_V1);
        List<String> args = List.of("-L", "native=" + ws.resolve("nroot"), "-L", "native=" + two,
                "-l", "static:+verbatim=sub/libmagic.a");
        String before = key(args);
        assertEquals(before, key(args), "same library, same key");
        Files.write(one.resolve("libmagic.a"), ARCHIVE_V2);
        String changed = key(args);
        assertNotEquals(before, changed, "a changed library below the search dir changes the key");
        Files.createDirectories(two.resolve("sub"));
        Files.write(two.resolve("sub/libmagic.a"), ARCHIVE_V1);
        assertNotEquals(changed, key(args), "one appearing in another search dir changes the key");
        // Without a directory part nothing descends: a file of that name below the dir is not read.
        List<String> flat = List.of("-L", "native=" + ws.resolve("nroot"), "-l", "static:+verbatim=libmagic.a");
        String flatKey = key(flat);
        Files.write(one.resolve("libmagic.a"), ARCHIVE_V1);
        assertEquals(flatKey, key(flat));
    }

    /** {@code cargo:rustc-link-arg=@resp.txt}, resp.txt naming an object (absolute, relative, or as -lNAME). */
    @Test
    void anObjectNamedInAResponseFileIsKeyed() throws Exception {
        Path nat = Files.createDirectories(ws.resolve("native"));
        Path obj = Files.write(nat.resolve("magic.o"), "\u007fELF-1".getBytes());
        Path libs = Files.createDirectories(ws.resolve("libs/libsub"));
        Path lib = Files.write(libs.resolve("foo.a"), ARCHIVE_V1);   // -lsub/foo: libsub/foo.a
        Path rel = Files.write(ws.resolve("rel.o"), "\u007fELF-r".getBytes());
        Path resp = Files.writeString(nat.resolve("resp.txt"),
                obj + "\n'rel.o' -L " + ws.resolve("libs") + " -lsub/foo\n");
        List<String> args = List.of("-C", "link-arg=@" + resp);
        for (Path file : List.of(obj, rel, lib)) {
            String before = key(args);
            byte[] old = Files.readAllBytes(file);
            Files.write(file, "\u007fELF-changed".getBytes());
            assertNotEquals(before, key(args), "the response file names " + file);
            Files.write(file, old);
            assertEquals(before, key(args));
        }
        // A response file inside a response file.
        Path outer = Files.writeString(ws.resolve("outer.txt"), "@" + resp);
        String nested = key(List.of("-C", "link-arg=@" + outer));
        Files.write(obj, "\u007fELF-2".getBytes());
        assertNotEquals(nested, key(List.of("-C", "link-arg=@" + outer)), "named through two response files");
    }

    /** A text {@code libmagic.so} in a -L native dir is a linker script: {@code INPUT(...)} names the real archive. */
    @Test
    void theArchiveNamedByATextSharedLibraryInANativeDirIsKeyed() throws Exception {
        Path ldir = Files.createDirectories(ws.resolve("ldir"));
        Path nat = Files.createDirectories(ws.resolve("native"));
        Path archive = Files.write(nat.resolve("libmagic.a"), ARCHIVE_V1);
        Path grouped = Files.write(nat.resolve("libmagic_nonshared.a"), ARCHIVE_V1);
        Path asNeeded = Files.write(nat.resolve("ld-magic.so.2"), "\u007fELF-1".getBytes());
        Path bare = Files.write(Files.createDirectories(ws.resolve("other")).resolve("libbare.a"), ARCHIVE_V1);
        Files.writeString(ldir.resolve("libmagic.so"), "/* GNU ld script */\nINPUT(" + archive + ")\n"
                + "OUTPUT_FORMAT(elf64-x86-64)\nGROUP ( " + grouped + " AS_NEEDED ( " + asNeeded + " ) )\n"
                + "INPUT(libbare.a)\n");
        List<String> args = List.of("-L", "native=" + ldir, "-L", "native=" + ws.resolve("other"),
                "-l", "dylib=magic");
        for (Path file : List.of(archive, grouped, asNeeded, bare)) {
            String before = key(args);
            byte[] old = Files.readAllBytes(file);
            Files.write(file, "!<arch>\nchanged".getBytes());
            assertNotEquals(before, key(args), "the script names " + file);
            Files.write(file, old);
        }
        // A name that resolves nowhere is keyed as absent: created later, it changes the key.
        Files.writeString(ldir.resolve("libmagic.so"), "INPUT(libmissing.a)\n");
        String absent = key(args);
        Files.write(ws.resolve("other/libmissing.a"), ARCHIVE_V1);
        assertNotEquals(absent, key(args), "the missing archive appeared");
        // A binary archive is never read as a script, even when its bytes look like one.
        Files.write(ldir.resolve("libmagic.so"), ("!<arch>\nINPUT(" + archive + ")").getBytes());
        String binary = key(args);
        Files.write(archive, ARCHIVE_V2);
        assertEquals(binary, key(args), "an archive names no file");
    }

    /** cortex-m-rt's shape: {@code -Tlink.x}, and link.x does {@code INCLUDE memory.x}, found in a -L dir. */
    @Test
    void aFileIncludedByALinkerScriptIsKeyed() throws Exception {
        Path out = Files.createDirectories(ws.resolve("out-dir"));
        Files.writeString(out.resolve("link.x"), "INCLUDE memory.x\nSECTIONS { .text : { *(.text*) } }\n");
        Path memory = Files.writeString(ws.resolve("memory.x"), "MEMORY { FLASH : ORIGIN = 0, LENGTH = 64K }\n");
        List<String> args = List.of("-L", "native=" + out, "-C", "link-arg=-Tlink.x");
        String before = key(args);
        Files.writeString(memory, "MEMORY { FLASH : ORIGIN = 0, LENGTH = 128K }\n");
        String inCwd = key(args);
        assertNotEquals(before, inCwd, "memory.x in the working directory");
        Path memoryInDir = Files.writeString(out.resolve("memory.x"), "MEMORY { FLASH : ORIGIN = 0, LENGTH = 1K }\n");
        String both = key(args);
        assertNotEquals(inCwd, both, "one appearing in the search dir");
        Files.writeString(memoryInDir, "MEMORY { FLASH : ORIGIN = 0, LENGTH = 2K }\n");
        assertNotEquals(both, key(args), "memory.x in the search dir");
    }

    @Test
    void aChainOfScriptsDeeperThanTheLimitIsNotKeyedButPassesThrough() throws Exception {
        Path dir = Files.createDirectories(ws.resolve("chain"));
        int files = LinkInputs.MAX_DEPTH + 2;
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve("s" + i + ".ld"), i + 1 < files ? "INCLUDE s" + (i + 1) + ".ld\n" : "/* end */\n");
        }
        List<String> args = List.of("-C", "link-arg=-T" + dir.resolve("s0.ld"), "-L", "native=" + ws.resolve("none"));
        UncacheableCallException e = assertThrows(UncacheableCallException.class, () -> key(args));
        assertEquals(LinkInputs.TOO_DEEP, e.reason());
        assertTrue(e.getMessage().contains("s" + LinkInputs.MAX_DEPTH + ".ld"), e.getMessage());
        // Within the limit: keyed, down to the last file.
        Files.writeString(dir.resolve("s" + (LinkInputs.MAX_DEPTH - 1) + ".ld"), "/* end */\n");
        String within = key(args);
        Files.writeString(dir.resolve("s" + (LinkInputs.MAX_DEPTH - 1) + ".ld"), "/* end, changed */\n");
        assertNotEquals(within, key(args));
    }

    /** A thin archive's members are files elsewhere, by path: not keyed, the call passes through. */
    @Test
    void aThinArchiveInANativeDirPassesThrough() throws Exception {
        Path nat = Files.createDirectories(ws.resolve("native"));
        Files.write(nat.resolve("libthin.a"), "!<thin>\n/\n".getBytes());
        UncacheableCallException e = assertThrows(UncacheableCallException.class,
                () -> key(List.of("-L", "native=" + nat)));
        assertEquals(LinkInputs.THIN_ARCHIVE, e.reason());
    }
    /*
     * Where the linker searches besides -L, each of the next four served a program linked against the
     * old library with real cargo (found by a hunt).
     */

    /** gcc's {@code -Xlinker ARG} spelling of {@code -Wl,ARG}. */
    @Test
    void aLibraryFoundThroughXlinkerIsKeyed() throws Exception {
        Path nat = Files.createDirectories(ws.resolve("xl"));
        assertChangingTheLibraryChangesTheKey(nat.resolve("libfoo.a"), List.of("-C", "link-arg=-Xlinker", "-C", "link-arg=-L",
                "-C", "link-arg=-Xlinker", "-C", "link-arg=" + nat, "-C", "link-arg=-lfoo"));
    }

    /** ld applies every {@code -L} to every {@code -l}, wherever each stands. */
    @Test
    void aLibraryNamedBeforeTheDashLThatFindsItIsKeyed() throws Exception {
        Path nat = Files.createDirectories(ws.resolve("late/sub"));
        assertChangingTheLibraryChangesTheKey(nat.resolve("libbar.a"),
                List.of("-C", "link-arg=-Wl,-l:sub/libbar.a", "-C", "link-arg=-L" + nat.getParent()));
    }

    /**
     * A C compiler driver's {@code -B DIR} is a library directory too, with its triple and version
     * subdirectories. Only a driver's: to a linker run directly, and for a call that links nothing,
     * {@code -Bstatic} is ld's option, and a {@code static/} directory of assets is no input (found by
     * review: it made every crate's key read it, or pass through when it held many files).
     */
    @Test
    void aLibraryInADriverPrefixIsKeyed() throws Exception {
        Path prefix = Files.createDirectories(ws.resolve("prefix"));
        assertChangingTheLibraryChangesTheKey(prefix.resolve("libfoo.a"), List.of("-C", "link-arg=-B" + prefix,
                "-C", "link-arg=-lfoo"));
        Path versioned = Files.createDirectories(prefix.resolve("x86_64-linux-gnu/12"));
        assertChangingTheLibraryChangesTheKey(versioned.resolve("libbaz.a"), List.of("-C", "link-arg=-B",
                "-C", "link-arg=" + prefix, "-C", "link-arg=-lbaz"));

        Path asset = Files.writeString(Files.createDirectories(ws.resolve("static")).resolve("site.css"), "a {}");
        List<String> direct = List.of("-C", "linker=ld", "-C", "link-arg=-Bstatic");
        String before = key(direct);
        Files.writeString(asset, "b {}");
        assertEquals(before, key(direct), "ld's own -Bstatic");
        List<String> rlib = List.of("-C", "link-arg=-Bstatic");
        before = libKey(rlib);
        Files.writeString(asset, "c {}");
        assertEquals(before, libKey(rlib), "an rlib links nothing");
    }


    /** {@code -L=DIR} and {@code $SYSROOT/DIR} are under the linker's {@code --sysroot}. */
    @Test
    void aSysrootRelativeSearchDirIsKeyedUnderTheSysroot() throws Exception {
        Path sysroot = Files.createDirectories(ws.resolve("sysroot/mylib"));
        assertChangingTheLibraryChangesTheKey(sysroot.resolve("libfoo.a"), List.of("-C", "link-arg=-Wl,-L=/mylib",
                "-C", "link-arg=-Wl,--sysroot=" + sysroot.getParent(), "-C", "link-arg=-lfoo"));
        assertChangingTheLibraryChangesTheKey(sysroot.resolve("libqux.a"), List.of("-C",
                "link-arg=--sysroot=" + sysroot.getParent(), "-C", "link-arg=-L$SYSROOT/mylib", "-C", "link-arg=-lqux"));
    }

    /** The linker loads the plugin, which generates the program's code (it was keyed by name only). */
    @Test
    void aLinkerPluginGivenByPathIsKeyed() throws Exception {
        Path plugin = Files.createDirectories(ws.resolve("llvm")).resolve("LLVMgold.so");
        assertChangingTheLibraryChangesTheKey(plugin, List.of("-C", "linker-plugin-lto=" + plugin));
    }

    /** Writes {@code library} and asserts that the key of a call with {@code args} follows its content. */
    private void assertChangingTheLibraryChangesTheKey(Path library, List<String> args) throws Exception {
        Files.write(library, ARCHIVE_V1);
        String before = key(args);
        assertEquals(before, key(args), "same library, same key");
        Files.write(library, ARCHIVE_V2);
        assertNotEquals(before, key(args), library + " is read by the linker: " + args);
    }
}
