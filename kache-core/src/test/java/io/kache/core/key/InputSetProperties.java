package io.kache.core.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link InputSet} survives its text encoding unchanged, whatever its paths and values hold, the
 * paths that must be absent included.
 */
class InputSetProperties {

    @Property(tries = 1000)
    void decodeInvertsEncode(@ForAll("inputSets") InputSet set) {
        assertEquals(set, InputSet.decode(set.encode()));
    }

    @Property(tries = 300)
    void entryKeyIsTheSameAfterARoundTrip(@ForAll("inputSets") InputSet set) {
        String callKey = "0".repeat(64);
        assertEquals(CacheKeyRecipe.entryKey(callKey, set), CacheKeyRecipe.entryKey(callKey, InputSet.decode(set.encode())));
    }

    @Property(tries = 300)
    void orderOfTheListsDoesNotMatter(@ForAll("inputSets") InputSet set, @ForAll Random random) {
        List<InputSet.InputFile> files = new ArrayList<>(set.files());
        List<InputSet.EnvValue> env = new ArrayList<>(set.env());
        List<String> absent = new ArrayList<>(set.absent());
        List<InputSet.BoundRoot> roots = new ArrayList<>(set.roots());
        Collections.shuffle(files, random);
        Collections.shuffle(env, random);
        Collections.shuffle(absent, random);
        Collections.shuffle(roots, random);
        InputSet shuffled = new InputSet(files, env, absent, roots);
        assertEquals(set, shuffled);
        assertEquals(set.encode(), shuffled.encode());
    }

    /** Encoded lines never contain a newline or a line the manifest format reserves. */
    @Property(tries = 300)
    void encodingIsOneSafeLinePerInput(@ForAll("inputSets") InputSet set) {
        String text = set.encode();
        List<String> lines = text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0,
                text.split("\n", -1).length - 1);
        assertEquals(set.files().size() + set.env().size() + set.absent().size() + set.roots().size(), lines.size());
        for (String line : lines) {
            assertEquals(true, line.startsWith("f ") || line.startsWith("e ") || line.startsWith("a ")
                    || line.startsWith("r "), line);
        }
    }

    /** A path that must be absent is part of what the entry key names: adding one changes it. */
    @Property(tries = 300)
    void anAbsentPathChangesTheEntryKey(@ForAll("inputSets") InputSet set, @ForAll("paths") String path) {
        List<String> more = new ArrayList<>(set.absent());
        more.add(path);
        InputSet extended = new InputSet(set.files(), set.env(), more, set.roots());
        String callKey = "0".repeat(64);
        if (set.absent().contains(path)) {
            assertEquals(CacheKeyRecipe.entryKey(callKey, set), CacheKeyRecipe.entryKey(callKey, extended));
        } else {
            assertNotEquals(CacheKeyRecipe.entryKey(callKey, set), CacheKeyRecipe.entryKey(callKey, extended));
        }
    }

    /** Neither a file nor a variable can be mistaken for a path that must be absent, or the reverse. */
    @Property(tries = 300)
    void anAbsentPathIsNotAFile(@ForAll("paths") String path, @ForAll("paths") String name) {
        InputSet asAbsent = new InputSet(List.of(), List.of(), List.of(path), List.of());
        InputSet asFile = new InputSet(List.of(new InputSet.InputFile(path, "0".repeat(64))), List.of());
        InputSet asEnv = new InputSet(List.of(), List.of(new InputSet.EnvValue(name, Optional.of(path))));
        String callKey = "0".repeat(64);
        assertNotEquals(CacheKeyRecipe.entryKey(callKey, asAbsent), CacheKeyRecipe.entryKey(callKey, asFile));
        assertNotEquals(CacheKeyRecipe.entryKey(callKey, asAbsent), CacheKeyRecipe.entryKey(callKey, asEnv));
        assertEquals(asAbsent, InputSet.decode(asAbsent.encode()));
    }

    @Provide
    Arbitrary<String> paths() {
        return unicode(1);
    }

    @Provide
    Arbitrary<InputSet> inputSets() {
        Arbitrary<String> sha = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
        Arbitrary<InputSet.InputFile> file = Combinators.combine(unicode(1), sha).as(InputSet.InputFile::new);
        Arbitrary<Optional<String>> value = unicode(0).optional(0.7);
        Arbitrary<InputSet.EnvValue> env = Combinators.combine(unicode(1), value).as(InputSet.EnvValue::new);
        // rustc lists each file and each variable once.
        Arbitrary<InputSet.BoundRoot> root = Combinators.combine(Arbitraries.of("ws", "target", "cargo", "home", "tmp"),
                unicode(1)).as(InputSet.BoundRoot::new);
        return Combinators.combine(file.list().uniqueElements(InputSet.InputFile::path).ofMaxSize(8),
                env.list().uniqueElements(InputSet.EnvValue::name).ofMaxSize(6),
                unicode(1).list().ofMaxSize(5),
                root.list().uniqueElements(InputSet.BoundRoot::name).ofMaxSize(3)).as(InputSet::new);
    }

    /** Two entries of the same inputs bound to different directories never share a key. */
    @Property(tries = 300)
    void aBoundDirectoryIsPartOfTheEntryKey(@ForAll("inputSets") InputSet set, @ForAll("paths") String a,
                                            @ForAll("paths") String b) {
        net.jqwik.api.Assume.that(!a.equals(b));
        String callKey = "0".repeat(64);
        String boundToA = CacheKeyRecipe.entryKey(callKey, set.withRoots(List.of(new InputSet.BoundRoot("zz", a))));
        String boundToB = CacheKeyRecipe.entryKey(callKey, set.withRoots(List.of(new InputSet.BoundRoot("zz", b))));
        assertNotEquals(boundToA, boundToB);
        assertNotEquals(CacheKeyRecipe.entryKey(callKey, set), boundToA);
    }

    /** Any Unicode text (no lone surrogates: dep-info is UTF-8), biased toward characters that delimit. */
    private static Arbitrary<String> unicode(int minLength) {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of((int) ' ', (int) '\n', (int) '\r', (int) '=', (int) '\\',
                        (int) '/', (int) ':', (int) '#', 0x1f, 0, (int) 'e', (int) 'f')),
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0x10FFFF)));
        return codePoint.list().ofMinSize(minLength).ofMaxSize(24)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }
}
