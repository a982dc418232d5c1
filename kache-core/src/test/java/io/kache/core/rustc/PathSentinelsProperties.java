package io.kache.core.rustc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Sentinel rewriting over arbitrary (often nested) roots and text that mixes them with delimiters. */
class PathSentinelsProperties {

    static final List<String> NAMES = List.of("target", "ws", "base", "cargo", "rustup", "home", "tmp");

    record Case(Map<String, Path> roots, String text) {
    }

    @Property(tries = 2000)
    void expandInvertsNormalize(@ForAll("cases") Case c) {
        PathSentinels s = PathSentinels.of(c.roots());
        assertEquals(c.text(), s.expand(s.normalize(c.text())));
    }

    @Property(tries = 1000)
    void normalizeIsIdempotent(@ForAll("cases") Case c) {
        PathSentinels s = PathSentinels.of(c.roots());
        String once = s.normalize(c.text());
        assertEquals(once, s.normalize(once));
    }

    /** Whatever the nesting, a path under a root ends up under that root's sentinel or a more specific one. */
    @Property(tries = 1000)
    void pathsUnderARootLoseTheirLocalPrefix(@ForAll("cases") Case c, @ForAll("segments") String tail) {
        PathSentinels s = PathSentinels.of(c.roots());
        for (String prefix : s.prefixes()) {
            String normalized = s.normalize(prefix + "/" + tail);
            assertTrue(normalized.startsWith(PathSentinels.SENTINEL_ROOT + "/"), normalized);
        }
    }

    @Property(tries = 500)
    void remapArgsRunFromLeastToMostSpecific(@ForAll("cases") Case c) {
        List<String> args = PathSentinels.of(c.roots()).remapArgs();
        for (int i = 1; i < args.size(); i++) {
            assertTrue(local(args.get(i - 1)).length() <= local(args.get(i)).length(), args::toString);
        }
    }

    private static String local(String remapArg) {
        String v = remapArg.substring("--remap-path-prefix=".length());
        return v.substring(0, v.lastIndexOf('='));
    }

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.strings().withChars("abcxyz012._-").ofMinLength(1).ofMaxLength(8);
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "ws", "ws2", "target", "t", "home", "x y", "tmp", ".cargo");
        Arbitrary<Path> dir = segment.list().ofMinSize(1).ofMaxSize(4).map(l -> Path.of("/" + String.join("/", l)));
        Arbitrary<Map<String, Path>> roots = dir.list().ofSize(NAMES.size()).map(dirs -> {
            Map<String, Path> m = new LinkedHashMap<>();
            for (int i = 0; i < NAMES.size(); i++) {
                m.put(NAMES.get(i), dirs.get(i));
            }
            return m;
        });
        return roots.flatMap(r -> text(r).map(t -> new Case(r, t)));
    }

    /** Text built from the roots themselves, their children and near misses, joined by delimiters or nothing. */
    private static Arbitrary<String> text(Map<String, Path> roots) {
        List<String> dirs = roots.values().stream().map(Path::toString).toList();
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of(dirs),
                Combinators.combine(Arbitraries.of(dirs), Arbitraries.of("/", "/src/lib.rs", "2", "-old", ".d", "/ws"))
                        .as(String::concat),
                Arbitraries.of(" ", "=", ":", "\"", "'", "\n", "\t", "(", ")", ",", "\u001f", "-L", "x", "/", "\\ "),
                Arbitraries.strings().withChars("abwst/ .:=").ofMaxLength(6));
        return piece.list().ofMaxSize(10).map(l -> String.join("", l));
    }
}
