package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.core.key.KeyBreakdown.Change;
import io.kache.core.key.KeyBreakdown.Difference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyBreakdownTest {

    @Test
    void inputsBreakDownByFileAndVariableWithoutTheirValues() {
        InputSet before = new InputSet(List.of(new InputSet.InputFile("/@kache/ws/src/a.rs", "aa"),
                new InputSet.InputFile("/@kache/ws/src/b.rs", "bb")),
                List.of(new InputSet.EnvValue("FLAVOR", Optional.of("secret-one"))));
        InputSet after = new InputSet(List.of(new InputSet.InputFile("/@kache/ws/src/a.rs", "aa"),
                new InputSet.InputFile("/@kache/ws/src/b.rs", "b2"), new InputSet.InputFile("/@kache/ws/src/c.rs", "cc")),
                List.of(new InputSet.EnvValue("FLAVOR", Optional.of("secret-two"))));
        KeyBreakdown a = CacheKeyRecipe.inputParts(before);
        KeyBreakdown b = CacheKeyRecipe.inputParts(after);
        assertEquals(List.of(new Difference("file:/@kache/ws/src/b.rs", Change.CHANGED),
                new Difference("file:/@kache/ws/src/c.rs", Change.ADDED),
                new Difference("env:FLAVOR", Change.CHANGED)), b.differencesFrom(a));
        assertEquals(List.of(new Difference("file:/@kache/ws/src/c.rs", Change.REMOVED)).size(),
                a.differencesFrom(b).stream().filter(d -> d.change() == Change.REMOVED).count());
        assertEquals(false, b.encode().contains("secret"), b.encode());
        assertEquals(b, KeyBreakdown.decode(b.encode().lines().toList()));
    }

    @Test
    void flagsArePartsByName() {
        assertEquals("flag:-C opt-level", KeyParts.argPart("-Copt-level=3"));
        assertEquals("flag:-Z share-generics", KeyParts.argPart("-Zshare-generics=y"));
        assertEquals("flag:--edition", KeyParts.argPart("--edition=2021"));
        assertEquals("cfg:feature=\"std\"", KeyParts.argPart("--cfg=feature=\"std\""));
        assertEquals("flag:--test", KeyParts.argPart("--test"));
        assertEquals("flag:--warn unused_variables", KeyParts.argPart("--warn=unused_variables"));
        assertEquals("flag:-D warnings", KeyParts.argPart("-D=warnings"));
        assertEquals(Map.of(), new KeyBreakdown(Map.of()).parts());
    }
}
