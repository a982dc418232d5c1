package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The other candidate of a module file: {@code x.rs} and {@code x/mod.rs}, both ways. */
class ModuleAlternativesTest {

    @Test
    void aNamedModuleFileImpliesItsModRsForm() {
        assertEquals(Optional.of(Path.of("/ws/src/util/mod.rs")), ModuleAlternatives.of(Path.of("/ws/src/util.rs")));
        // foo.rs declaring `mod bar;` reads foo/bar.rs, whose other form is foo/bar/mod.rs.
        assertEquals(Optional.of(Path.of("/ws/src/foo/bar/mod.rs")),
                ModuleAlternatives.of(Path.of("/ws/src/foo/bar.rs")));
        // r#type and other names rustc accepts are plain file names here.
        assertEquals(Optional.of(Path.of("/ws/src/type/mod.rs")), ModuleAlternatives.of(Path.of("/ws/src/type.rs")));
    }

    @Test
    void aModRsImpliesTheNamedForm() {
        assertEquals(Optional.of(Path.of("/ws/src/util.rs")), ModuleAlternatives.of(Path.of("/ws/src/util/mod.rs")));
        assertEquals(Optional.of(Path.of("/ws/src/a/b.rs")), ModuleAlternatives.of(Path.of("/ws/src/a/b/mod.rs")));
    }

    @Test
    void notAModuleFileHasNone() {
        assertEquals(Optional.empty(), ModuleAlternatives.of(Path.of("/ws/src/greeting.txt")));
        assertEquals(Optional.empty(), ModuleAlternatives.of(Path.of("/mod.rs")));
        assertEquals(Optional.empty(), ModuleAlternatives.of(Path.of("/ws/src/.rs")));
        assertEquals(Optional.empty(), ModuleAlternatives.of(Path.of("lib.rs")));
    }
}
