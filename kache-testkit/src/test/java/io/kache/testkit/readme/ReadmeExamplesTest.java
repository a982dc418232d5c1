package io.kache.testkit.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Writing a backend" section shows a complete backend; its code is compiled and run
 * from this module's test sources. These checks keep the two the same, so the README cannot show
 * code that no longer compiles or passes the contract.
 */
class ReadmeExamplesTest {

    private static final String SECTION = "Writing a backend";
    private static final Path TEST_SOURCES = Path.of("kache-testkit", "src", "test", "java");
    private static final Path EXAMPLE_PACKAGE = TEST_SOURCES.resolve(Path.of("com", "example", "kache", "dir"));
    /** Where the fragments (pieces of a class, not whole files) are compiled and exercised. */
    private static final Path FRAGMENT_PACKAGE = TEST_SOURCES.resolve(Path.of("io", "kache", "testkit", "readme"));
    private static final Path SERVICES = Path.of("kache-testkit", "src", "test", "resources", "META-INF", "services",
            "io.kache.api.ArtifactStoreProvider");
    private static final Pattern PACKAGE = Pattern.compile("package ([\\w.]+);");
    private static final Pattern TOP_LEVEL_TYPE =
            Pattern.compile("(?m)^(?:public |final |abstract )*(?:class|interface|record|enum) (\\w+)");

    private static Path root;
    private static List<FencedBlock> blocks;

    @BeforeAll
    static void readSection() throws IOException {
        root = RepoRoot.find();
        blocks = FencedBlock.inSection(root.resolve("README.md"), SECTION);
    }

    @Test
    void eachJavaFileInTheSectionEqualsItsCompiledSource() throws IOException {
        List<FencedBlock> files = blocks.stream().filter(FencedBlock::isJavaFile).toList();
        assertFalse(files.isEmpty(), "no whole Java file in README section '" + SECTION + "'");
        for (FencedBlock block : files) {
            Path source = root.resolve(sourceFileOf(block));
            assertTrue(Files.isRegularFile(source),
                    "README line " + block.firstLine() + " shows " + sourceFileOf(block) + ", which does not exist");
            List<String> expected = FencedBlock.normalizedLines(source);
            assertEquals(String.join("\n", expected), block.text(),
                    firstDifference(block, expected) + " from " + sourceFileOf(block) + ": change both together");
        }
    }

    @Test
    void everySourceOfTheExampleIsShownInTheSection() throws IOException {
        Set<Path> shown = blocks.stream().filter(FencedBlock::isJavaFile)
                .map(ReadmeExamplesTest::sourceFileOf)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Path> compiled;
        try (Stream<Path> files = Files.list(root.resolve(EXAMPLE_PACKAGE))) {
            compiled = files.map(root::relativize).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(compiled, shown, "the README must show the whole example backend, file for file");
    }

    @Test
    void eachJavaFragmentAppearsInACompiledTest() throws IOException {
        List<FencedBlock> fragments = blocks.stream()
                .filter(b -> b.info().equals("java") && !b.isJavaFile())
                .toList();
        List<Path> paths;
        try (Stream<Path> files = Files.list(root.resolve(FRAGMENT_PACKAGE))) {
            paths = files.sorted().toList();
        }
        List<List<String>> sources = new ArrayList<>();
        for (Path path : paths) {
            sources.add(FencedBlock.normalizedLines(path));
        }
        for (FencedBlock fragment : fragments) {
            if (sources.stream().noneMatch(lines -> containsIndented(lines, fragment.lines()))) {
                fail("the Java fragment on README line " + fragment.firstLine()
                        + " appears in no source of " + FRAGMENT_PACKAGE + " (indentation aside):\n" + fragment.text());
            }
        }
    }

    @Test
    void theServiceRegistrationEqualsTheServicesFile() throws IOException {
        List<FencedBlock> plain = blocks.stream().filter(b -> b.info().isEmpty()).toList();
        assertEquals(1, plain.size(), "expected one plain block, the services file, in README section '" + SECTION + "'");
        List<String> expected = FencedBlock.normalizedLines(root.resolve(SERVICES));
        assertEquals(String.join("\n", expected), plain.get(0).text(),
                firstDifference(plain.get(0), expected) + " from " + SERVICES);
    }

    private static Path sourceFileOf(FencedBlock block) {
        Matcher pkg = PACKAGE.matcher(block.lines().get(0));
        Matcher type = TOP_LEVEL_TYPE.matcher(block.text());
        if (!pkg.matches() || !type.find()) {
            throw new IllegalStateException("README line " + block.firstLine() + ": no package and top-level type");
        }
        return TEST_SOURCES.resolve(pkg.group(1).replace('.', '/')).resolve(type.group(1) + ".java");
    }

    private static String firstDifference(FencedBlock block, List<String> expected) {
        List<String> shown = block.lines();
        int i = 0;
        while (i < shown.size() && i < expected.size() && shown.get(i).equals(expected.get(i))) {
            i++;
        }
        return "README line " + (block.firstLine() + 1 + i) + " ('" + (i < shown.size() ? shown.get(i) : "end of block")
                + "') differs at line " + (i + 1) + " ('" + (i < expected.size() ? expected.get(i) : "end of file") + "')";
    }

    /** Whether {@code fragment} occurs in {@code lines}, all of its lines shifted by one indentation. */
    static boolean containsIndented(List<String> lines, List<String> indentedFragment) {
        int common = indentedFragment.stream().filter(l -> !l.isEmpty())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        List<String> fragment = indentedFragment.stream().map(l -> l.isEmpty() ? l : l.substring(common)).toList();
        for (int start = 0; start + fragment.size() <= lines.size(); start++) {
            String first = lines.get(start);
            String indent = first.substring(0, first.length() - first.stripLeading().length());
            boolean all = true;
            for (int i = 0; i < fragment.size() && all; i++) {
                String expected = fragment.get(i).isEmpty() ? "" : indent + fragment.get(i);
                all = lines.get(start + i).equals(expected);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }
}
