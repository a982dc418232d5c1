package io.kache.core.sync.cargo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesCargoShapedDocuments() {
        Object v = Json.parse(" {\"packages\": [{\"name\": \"a-b\", \"kind\": [\"lib\"], \"n\": 3, \"x\": 1.5e2,"
                + " \"t\": true, \"f\": false, \"z\": null, \"s\": \"q\\\"\\\\\\/\\n\\u00e9\"}], \"e\": {}, \"l\": []} ");
        Map<String, Object> pkg = new LinkedHashMap<>();
        pkg.put("name", "a-b");
        pkg.put("kind", List.of("lib"));
        pkg.put("n", 3);
        pkg.put("x", 150.0);
        pkg.put("t", true);
        pkg.put("f", false);
        pkg.put("z", null);
        pkg.put("s", "q\"\\/\né");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("packages", List.of(pkg));
        expected.put("e", Map.of());
        expected.put("l", List.of());
        assertEquals(expected, v);
    }

    @Test
    void rejectsMalformedInputNamingThePosition() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "\"open", "tru", "{} x", "[1 2]", "{} {}",
                "[01]", "[+1]", "[NaN]", "['a']", "[1.]", "{a: 1}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("invalid JSON"), e.getMessage());
        }
    }

    @Property
    void stringsRoundTrip(@ForAll("text") String s) {
        assertEquals(List.of(s), Json.parse("[" + quote(s) + "]"));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40)
                .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Property
    void nestedArraysOfIntegersRoundTrip(@ForAll long[] numbers) {
        String text = Arrays.toString(numbers).replace(" ", "");
        List<?> parsed = (List<?>) Json.parse(text);
        assertEquals(Arrays.stream(numbers).boxed().toList(),
                parsed.stream().map(n -> ((Number) n).longValue()).toList());
    }
}
