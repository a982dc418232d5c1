package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which program the link arguments tell the C compiler driver to run as the linker. */
class LinkerChoiceTest {

    @Test
    void noChoiceWithoutFuseLdLdPathOrPrefix() {
        assertEquals(Optional.empty(), LinkerChoice.in(List.of()));
        assertEquals(Optional.empty(), LinkerChoice.in(List.of("-Wl,--as-needed", "-lm", "/x/magic.o", "-Wl,-Bstatic")));
    }

    @Test
    void fuseLdNamesTheProgramLdDotName() {
        assertEquals(Optional.of(new LinkerChoice("ld.mold", List.of())), LinkerChoice.in(List.of("-fuse-ld=mold")));
        assertEquals("ld.bfd", LinkerChoice.in(List.of("-fuse-ld=lld", "-lm", "-fuse-ld=bfd")).orElseThrow().program(),
                "the last one counts, as for gcc and clang");
        assertFalse(LinkerChoice.in(List.of("-fuse-ld=bfd")).orElseThrow().isPath());
    }

    @Test
    void aPathIsUsedAsItIs() {
        LinkerChoice path = LinkerChoice.in(List.of("-fuse-ld=/opt/mold/bin/mold")).orElseThrow();
        assertEquals("/opt/mold/bin/mold", path.program());
        assertTrue(path.isPath());
        assertEquals("/usr/bin/ld.lld", LinkerChoice.in(List.of("--ld-path=/usr/bin/ld.lld", "-fuse-ld=bfd"))
                .orElseThrow().program(), "clang: --ld-path before -fuse-ld");
        assertEquals("ld.gold", LinkerChoice.in(List.of("--ld-path=", "-fuse-ld=gold")).orElseThrow().program());
    }

    @Test
    void prefixesInEachSpellingInOrder() {
        LinkerChoice c = LinkerChoice.in(List.of("-B/usr/libexec/mold", "-B", "tools/", "--prefix=/p", "--prefix", "/q",
                "-fuse-ld=mold")).orElseThrow();
        assertEquals(new LinkerChoice("ld.mold", List.of("/usr/libexec/mold", "tools/", "/p", "/q")), c);
        assertEquals(new LinkerChoice("ld", List.of("/usr/libexec/mold")),
                LinkerChoice.in(List.of("-B/usr/libexec/mold")).orElseThrow(), "a prefix alone: the driver's ld");
    }

    @Test
    void aDriverByItsNameWithoutTargetPrefixOrVersion() {
        for (String driver : List.of("cc", "gcc", "clang", "c++", "g++", "clang++", "x86_64-linux-gnu-gcc-12", "clang-18",
                "clang++-18.1", "aarch64-linux-gnu-cc", "x86_64-w64-mingw32-g++")) {
            assertTrue(LinkerChoice.isDriver(driver, driver), driver);
        }
        for (String direct : List.of("ld", "ld.lld", "mold", "arm-none-eabi-ld", "rust-lld", "lld-link",
                "zigcc-x86_64-unknown-linux-gnu.sh", "cc-wrap", "gccgo")) {
            assertFalse(LinkerChoice.isDriver(direct, direct), direct);
        }
        assertTrue(LinkerChoice.isDriver("cc", "x86_64-linux-gnu-gcc-12"));
        assertTrue(LinkerChoice.isDriver("my-linker", "gcc-12"), "a link to a driver is one");
    }

    @Test
    void argumentsThatChangeTheDriversSearchAsWritten() {
        LinkerChoice c = LinkerChoice.in(List.of("--target=aarch64-linux-gnu", "-fuse-ld=lld", "-target", "x", "--sysroot",
                "/s", "--sysroot=/t", "--gcc-toolchain=/g", "-specs=a.specs", "--config=c.cfg", "-no-canonical-prefixes",
                "-lm")).orElseThrow();
        assertEquals(new LinkerChoice("ld.lld", List.of(), List.of("--target=aarch64-linux-gnu", "-target", "x",
                "--sysroot", "/s", "--sysroot=/t", "--gcc-toolchain=/g", "-specs=a.specs", "--config=c.cfg",
                "-no-canonical-prefixes")), c);
        assertEquals(Optional.empty(), LinkerChoice.in(List.of("--target=aarch64-linux-gnu")), "no choice of linker");
    }
}
