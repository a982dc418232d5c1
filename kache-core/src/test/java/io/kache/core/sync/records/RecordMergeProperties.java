package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The rules by which a build's record carries on the previous one, for any two builds. */
class RecordMergeProperties {

    /** One entry: its crate, its unit (cargo's stem), its group (target of a package) and whether the store knows it. */
    record Entry(ArtifactKey key, String unit, String group, boolean known) {
    }

    record Builds(List<Entry> previous, List<Entry> now) {
        Map<ArtifactKey, RecordMerge.Facts> facts() {
            Map<ArtifactKey, RecordMerge.Facts> m = new HashMap<>();
            for (Entry e : previous) {
                if (e.known()) {
                    m.put(e.key(), new RecordMerge.Facts(e.unit(), false, e.group()));
                }
            }
            for (Entry e : now) {
                m.put(e.key(), new RecordMerge.Facts(e.unit(), false, e.group()));
            }
            return m;
        }

        Set<ArtifactKey> merged() {
            Map<ArtifactKey, RecordMerge.Facts> facts = facts();
            return RecordMerge.merge(now.stream().map(Entry::key).toList(), previous.stream().map(Entry::key).toList(),
                    k -> Optional.ofNullable(facts.get(k)), f -> false);
        }
    }

    @Property
    void everyEntryOfThisBuildIsNamedAndNothingFromElsewhere(@ForAll("builds") Builds b) {
        Set<ArtifactKey> merged = b.merged();
        Set<String> nowUnits = new HashSet<>();
        b.now().forEach(e -> nowUnits.add(e.unit()));
        for (Entry e : b.now()) {
            // Of two entries of one unit this build used, the later stands for it.
            Entry last = b.now().stream().filter(x -> x.unit().equals(e.unit())).reduce((x, y) -> y).orElseThrow();
            assertTrue(merged.contains(last.key()), "this build's " + last);
        }
        Set<ArtifactKey> allowed = new HashSet<>();
        b.now().forEach(e -> allowed.add(e.key()));
        b.previous().forEach(e -> allowed.add(e.key()));
        assertTrue(allowed.containsAll(merged));
    }

    @Property
    void aKnownUnitThisBuildReplacedIsNeverKeptAndOneItDidNotIsNeverLost(@ForAll("builds") Builds b) {
        Set<ArtifactKey> merged = b.merged();
        Map<String, ArtifactKey> lastOfUnit = new HashMap<>();
        b.now().forEach(e -> lastOfUnit.put(e.unit(), e.key()));
        for (Entry p : b.previous()) {
            if (!p.known()) {
                continue;
            }
            ArtifactKey replacement = lastOfUnit.get(p.unit());
            boolean groupBuilt = b.now().stream().anyMatch(e -> e.group().equals(p.group()));
            if (replacement == null && !groupBuilt) {
                assertTrue(merged.contains(p.key()), "nothing of " + p.group() + " was built now: kept");
            } else if (replacement != null && !replacement.equals(p.key())) {
                assertTrue(!merged.contains(p.key()), "superseded by " + replacement + ": " + p);
            }
        }
        // One entry per unit this build built: its own.
        Map<String, Integer> perUnit = new HashMap<>();
        Map<ArtifactKey, RecordMerge.Facts> facts = b.facts();
        merged.forEach(k -> Optional.ofNullable(facts.get(k)).filter(f -> lastOfUnit.containsKey(f.unit()))
                .ifPresent(f -> perUnit.merge(f.unit(), 1, Integer::sum)));
        perUnit.forEach((u, n) -> assertEquals(1, n, u));
    }

    @Property
    void aBuildScriptTheStoreDoesNotKnowIsKeptAndMergingAgainChangesNothing(@ForAll("builds") Builds b) {
        Set<ArtifactKey> merged = b.merged();
        for (Entry p : b.previous()) {
            if (!p.known() && p.key().crateName().equals("build_script_build")) {
                assertTrue(merged.contains(p.key()), "whose build script it was is unknown: kept");
            }
        }
        Map<ArtifactKey, RecordMerge.Facts> facts = b.facts();
        Set<ArtifactKey> again = RecordMerge.merge(b.now().stream().map(Entry::key).toList(), new ArrayList<>(merged),
                k -> Optional.ofNullable(facts.get(k)), f -> false);
        assertEquals(merged, again, "a build recorded twice records the same");
    }

    @Provide
    Arbitrary<Builds> builds() {
        Arbitrary<String> crate = Arbitraries.of("build_script_build", "c1", "c2", "app");
        Arbitrary<String> pkg = Arbitraries.of("p1", "p2");
        Arbitrary<String> shape = Arbitraries.of("lib", "exe");
        Arbitrary<Integer> unit = Arbitraries.integers().between(0, 2);
        Arbitrary<Integer> seed = Arbitraries.integers().between(0, 4);
        Arbitrary<Boolean> known = Arbitraries.of(true, false);
        Arbitrary<Entry> entry = Combinators.combine(crate, pkg, shape, unit, seed, known).as((c, p, sh, u, s, k) -> {
            String group = c + "/" + p + "/" + sh;
            String unitName = group + "#" + u;
            return new Entry(RecordMergeTest.key(c, unitName + "-" + s), unitName, group, k);
        });
        Arbitrary<List<Entry>> list = entry.list().ofMaxSize(12).map(l -> {
            // One key, one unit: an entry is one unit's output.
            Map<ArtifactKey, Entry> byKey = new java.util.LinkedHashMap<>();
            l.forEach(e -> byKey.putIfAbsent(e.key(), e));
            return List.copyOf(byKey.values());
        });
        return Combinators.combine(list, list).as((p, n) -> {
            // An entry in both builds is the same entry: the store knows it (this build used it).
            Set<ArtifactKey> nowKeys = new HashSet<>();
            n.forEach(e -> nowKeys.add(e.key()));
            List<Entry> prev = p.stream().map(e -> nowKeys.contains(e.key())
                    ? new Entry(e.key(), e.unit(), e.group(), true) : e).toList();
            return new Builds(prev, n);
        });
    }
}
