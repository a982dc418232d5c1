package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The fast subset reader must agree with tomlj on every document it accepts (same keys, values and
 * lines), and hand everything else to tomlj.
 */
class SimpleTomlParserProperties {

    private static final Path FILE = Path.of("/virtual/.kache.toml");

    @Property(tries = 2000)
    void acceptedDocumentsParseExactlyAsTomljParsesThem(@ForAll("documents") String text) {
        Optional<TomlNode.Table> fast = SimpleTomlParser.parse(text);
        Statistics.label("fast path").collect(fast.isPresent());
        // The generator must exercise the fast path, or agreement would hold vacuously.
        Statistics.label("fast path").coverage(c -> c.check(true).percentage(p -> p > 10));
        if (fast.isPresent()) {
            assertEquals(TomljReader.read(FILE, text), fast.get(), text);
        }
    }

    @Example
    void aTypicalConfigFileTakesTheFastPath() {
        String text = """
                # kache settings for this repo
                [cache]
                compression_level = 19   # slow but small
                local_max_size = "20GiB"
                remote_readonly = false

                [cache.remote]
                type = 'filesystem'
                path = "/mnt/kache"
                """;
        Optional<TomlNode.Table> fast = SimpleTomlParser.parse(text);
        assertTrue(fast.isPresent());
        assertEquals(TomljReader.read(FILE, text), fast.get());
    }

    @Example
    void escapesArraysAndDottedKeysGoToTomlj() {
        for (String text : List.of("a = \"x\\ty\"\n", "a = [1, 2]\n", "a.b = 1\n", "a = 1.5\n", "a = \"\"\"x\"\"\"\n",
                "a = 1_000\n", "\"a\" = 1\n", "[a]\n[a]\n", "a = 1\na = 2\n", "a = 007\n", "a =\n", "a = 1\rb = 2\n")) {
            assertEquals(Optional.empty(), SimpleTomlParser.parse(text), text);
        }
    }

    @Provide
    Arbitrary<String> documents() {
        return line().list().ofMaxSize(12).map(lines -> String.join("\n", lines) + "\n");
    }

    private Arbitrary<String> line() {
        Arbitrary<String> ws = Arbitraries.of("", " ", "  ", "\t");
        Arbitrary<String> comment = Arbitraries.of("", " # note", "# x = \"y\" [z]", " #");
        Arbitrary<String> header = Arbitraries.of("cache", "cache.remote", "a", "cache.remote.sub", "x-y.z_1")
                .map(h -> "[" + h + "]");
        Arbitrary<String> key = Arbitraries.of("a", "b", "type", "remote", "key_salt", "x-y", "_9");
        Arbitrary<String> text = Arbitraries.strings().withChars("abc XYZ#'=[]é€\t/.:~-").ofMaxLength(12);
        Arbitrary<String> value = Arbitraries.oneOf(
                text.map(s -> "\"" + s.replace("\"", "") + "\""),
                text.map(s -> "'" + s.replace("'", "") + "'"),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.integers().between(-20, 20).map(i -> (i > 0 && i % 3 == 0 ? "+" : "") + i),
                Arbitraries.of("true", "false"),
                Arbitraries.of("1.5", "[1]", "\"a\\\\b\"", "{ x = 1 }", "1979-05-27", "0x1F", "tru", ""));
        Arbitrary<String> keyValue = net.jqwik.api.Combinators.combine(ws, key, ws, ws, value, ws, comment)
                .as((w1, k, w2, w3, v, w4, c) -> w1 + k + w2 + "=" + w3 + v + w4 + c);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "   ", "# comment", "\t# t")),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(ws, header, ws, comment)
                        .as((a, h, b, c) -> a + h + b + c)),
                net.jqwik.api.Tuple.of(6, keyValue));
    }
}
