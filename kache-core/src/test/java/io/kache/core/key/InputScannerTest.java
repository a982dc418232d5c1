package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.rustc.DepInfo;
import io.kache.core.rustc.PathSentinels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inputs are hashed at the paths rustc read them by, as the system resolves them. */
class InputScannerTest {

    @TempDir
    Path temp;

    /**
     * {@code include_str!("gen/../data.txt")} with {@code src/gen} a link elsewhere reads
     * elsewhere's {@code data.txt}, not {@code src/data.txt}: a lexical {@code ..} hashed the wrong
     * file, and a changed input then hit the old entry.
     */
    @Test
    void aParentStepAfterALinkFollowsTheLink() throws Exception {
        Path ws = Files.createDirectories(temp.resolve("ws"));
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere/sub"));
        Files.createDirectories(ws.resolve("src"));
        Files.createSymbolicLink(ws.resolve("src/gen"), elsewhere);
        Files.writeString(ws.resolve("src/data.txt"), "LEXICAL");
        Path real = Files.writeString(temp.resolve("elsewhere/data.txt"), "REAL-v1");
        KeyContext ctx = new KeyContext("rustc 1.95.0", PathSentinels.of(Map.of("ws", ws)), Map.of(), ws, "",
                Optional.empty(), Sha256Files.HASHER);
        DepInfo dep = DepInfo.parse("out/app.d: src/main.rs src/gen/../data.txt\n\nsrc/main.rs:\nsrc/gen/../data.txt:\n");
        Files.writeString(ws.resolve("src/main.rs"), "fn main() {}");

        InputSet inputs = InputScanner.scan(dep, ctx);
        InputSet.InputFile data = inputs.files().stream().filter(f -> f.path().endsWith("data.txt")).findFirst()
                .orElseThrow();
        assertEquals(Sha256Files.HASHER.sha256(real), data.sha256(), "the file the link leads to");
        assertTrue(InputScanner.stillMatches(inputs, ctx));
        Files.writeString(real, "REAL-v2");
        assertFalse(InputScanner.stillMatches(inputs, ctx), "a change of the file rustc read is seen");
        Files.writeString(real, "REAL-v1");
        Files.writeString(ws.resolve("src/data.txt"), "LEXICAL-v2");
        assertTrue(InputScanner.stillMatches(inputs, ctx), "src/data.txt was never read");
    }
}
