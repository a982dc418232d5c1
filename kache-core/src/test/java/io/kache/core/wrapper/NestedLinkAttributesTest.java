package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sources link a library by a name with a directory part, as rustc reads the attribute. */
class NestedLinkAttributesTest {

    @TempDir
    Path ws;

    @Test
    void aNameWithADirectoryPartIsFoundInAnyOfItsSpellings() throws IOException {
        for (String attribute : List.of(
                "#[link(name = \"sub/libbar.a\", kind = \"static\", modifiers = \"+verbatim\")]",
                "#[link(kind = \"static\",\n    modifiers = \"+verbatim,-bundle\",\n    name = \"sub/libbar.a\")]",
                "#[link(name = r\"sub/bar\")]",
                "#[link(name = r#\"sub/bar\"#, kind = \"dylib\")]",
                "#[cfg_attr(unix, link(name = \"sub/bar\"))]")) {
            assertEquals(Optional.of(ws.resolve("src/lib.rs")), scan(attribute + "\nextern \"C\" {}\n"), attribute);
        }
    }

    @Test
    void aNameWithoutOneOrAnotherAttributesPathIsNot() throws IOException {
        for (String source : List.of(
                "#[link(name = \"bar\", kind = \"static\")]\nextern \"C\" {}\n",
                "#[path = \"sub/mod.rs\"]\nmod m;\n#[link(name = \"bar\")]\nextern \"C\" {}\n",
                "// a link to docs/x.md\nconst NAME: &str = \"a/b\";\n")) {
            assertEquals(Optional.empty(), scan(source), source);
        }
    }

    private Optional<Path> scan(String source) throws IOException {
        Files.createDirectories(ws.resolve("src"));
        Files.writeString(ws.resolve("src/lib.rs"), source);
        Files.writeString(ws.resolve("notes.txt"), "#[link(name = \"sub/x\")]");
        return NestedLinkAttributes.firstIn(List.of("src/lib.rs", "notes.txt", "gone.rs"), ws);
    }
}
