package io.kache.core.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackWriterTest {

    @TempDir
    Path tmp;

    static PackFixtures.Entry large() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        Random r = new Random(7);
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[12 << 20];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (r.nextInt(100) < 70 ? r.nextInt(8) : r.nextInt(256));
            }
            c.put("deps/libbig" + i + ".rlib", b);
        }
        return PackFixtures.entry(PackFixtures.KEY, c, Map.of(), null, null, Map.of());
    }

    static byte[] pack(PackFixtures.Entry e, int level, int workers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PackWriter(level, workers).write(e.manifest(), f -> new ByteArrayInputStream(e.contents().get(f.name())),
                out);
        return out.toByteArray();
    }

    @Test
    void outputDoesNotDependOnTheNumberOfZstdWorkers() throws Exception {
        PackFixtures.Entry e = large();
        byte[] one = pack(e, 3, 1);
        assertArrayEquals(one, pack(e, 3, 2));
        assertArrayEquals(one, pack(e, 3, 4));
        assertEquals(e.manifest(), PackFixtures.unpack(one).manifest());
    }

    @Test
    void outputDoesNotDependOnTheUser() throws Exception {
        PackFixtures.Entry e = PackFixtures.sample();
        byte[] before = PackFixtures.pack(e, 3);
        String user = System.getProperty("user.name");
        try {
            System.setProperty("user.name", "somebody-else");
            assertArrayEquals(before, PackFixtures.pack(e, 3));
        } finally {
            System.setProperty("user.name", user);
        }
    }

    @Test
    void levelOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PackWriter(0));
        assertThrows(IllegalArgumentException.class, () -> new PackWriter(23));
    }

    @Test
    void contentOfAnotherLengthThanDeclaredFails() {
        PackFixtures.Entry e = PackFixtures.sample();
        assertThrows(IOException.class, () -> new PackWriter(3).write(e.manifest(),
                f -> new ByteArrayInputStream(new byte[1]), new ByteArrayOutputStream()));
    }

    @Test
    void standardToolsReadAPack() throws Exception {
        assumeTrue(onPath("zstd") && onPath("tar"), "zstd and tar must be on PATH");
        Path pack = tmp.resolve("x.tar.zst");
        Files.write(pack, PackFixtures.pack(PackFixtures.sample(), 3));
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", "zstd -d -q -c '" + pack + "' | tar -tvf -")
                .redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), listing);
        List<String> names = listing.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
        assertEquals(List.of("kache.entry", "files/libserde_json-aa.rlib", "files/libserde_json-aa.rmeta",
                "files/serde_json-aa.d"), names);
        listing.lines().forEach(l -> assertEquals("0/0", l.split("\\s+")[1], l));
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
