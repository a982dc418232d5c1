package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * The target-info memo's key is a function of the probe: the same probe always has the same key,
 * and any change to one of its arguments gives another, so an answer is never served to a probe
 * that would print something else.
 */
class TargetInfoKeyProperties {

    private static final String STAMP = "/t/bin/rustc\n1 2\n";
    private static final String BANNER = "rustc 1.95.0\nrelease: 1.95.0\n";

    @Property(tries = 500)
    void anyChangedArgumentChangesTheKey(@ForAll @IntRange(min = 0, max = 20) int at,
                                         @ForAll @StringLength(min = 1, max = 12) String replacement) {
        List<String> args = new ArrayList<>(TargetInfoAnswerTest.PROBE);
        Map<String, String> env = Map.of("RUSTC_BOOTSTRAP", "1");
        String key = TargetInfoAnswer.key(STAMP, BANNER, args, env);
        assertEquals(key, TargetInfoAnswer.key(STAMP, BANNER, List.copyOf(args), Map.copyOf(env)));
        int i = at % args.size();
        if (args.get(i).equals(replacement)) {
            return;
        }
        args.set(i, replacement);
        assertNotEquals(key, TargetInfoAnswer.key(STAMP, BANNER, args, env));
    }

    @Property(tries = 200)
    void anyChangedRustVariableChangesTheKey(@ForAll @StringLength(min = 1, max = 10) String suffix,
                                             @ForAll @StringLength(max = 10) String value) {
        Map<String, String> env = Map.of("RUSTC_BOOTSTRAP", "1");
        String name = "RUST_" + suffix;
        String key = TargetInfoAnswer.key(STAMP, BANNER, TargetInfoAnswerTest.PROBE, env);
        Map<String, String> more = new HashMap<>(env);
        more.put(name, value);
        assertNotEquals(key, TargetInfoAnswer.key(STAMP, BANNER, TargetInfoAnswerTest.PROBE, more));
    }
}
