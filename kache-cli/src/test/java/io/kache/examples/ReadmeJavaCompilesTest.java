package io.kache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Library use" Java compiles as a reader would paste it: its import block on top of
 * one class holding its methods, against this module's class path without its test classes. Quoting the
 * example exactly is {@code LibraryUseExampleTest}'s job; this one catches a block whose imports a
 * reader would have to guess.
 */
class ReadmeJavaCompilesTest {

    @TempDir
    Path tmp;

    @Test
    void theLibrarySectionsJavaCompilesAsShown() throws Exception {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("README.md"))) {
            root = root.getParent();
        }
        String readme = Files.readString(root.resolve("README.md"));
        int from = readme.indexOf("\n## Library use");
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        List<String> imports = new ArrayList<>();
        List<String> members = new ArrayList<>();
        Matcher blocks = Pattern.compile("```java\n(.*?)```\n", Pattern.DOTALL).matcher(section);
        while (blocks.find()) {
            String block = blocks.group(1);
            (block.startsWith("import ") ? imports : members).add(block);
        }
        assertEquals(1, imports.size(), "one import block");
        assertTrue(members.size() >= 2, "the methods: " + members.size());
        String source = "package readme;\n\n" + imports.get(0) + "\npublic final class ReadmeExample {\n"
                + String.join("\n", members) + "}\n";
        Path file = Files.createDirectories(tmp.resolve("src/readme")).resolve("ReadmeExample.java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        // Without the test classes: LibraryUseExample's own imports must not help the README's.
        String classPath = String.join(java.io.File.pathSeparator, List.of(System.getProperty("java.class.path")
                .split(java.io.File.pathSeparator)).stream().filter(e -> !e.endsWith("test-classes")).toList());
        boolean ok = javac.getTask(out, null, null, List.of("--release", "17", "-proc:none", "-Xlint:none",
                        "-cp", classPath, "-d", Files.createDirectories(tmp.resolve("classes")).toString()),
                null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();
        assertTrue(ok, "the README's Java does not compile as shown:\n" + out + "\n" + source);
    }
}
