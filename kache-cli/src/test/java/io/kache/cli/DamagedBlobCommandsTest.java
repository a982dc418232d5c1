package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.testkit.s3.RecordedRequest;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob changed in place (same size, mtime put back) as the commands meet it: {@code sync --push}
 * never uploads its entry, and {@code doctor --verify} finds it, quarantines it and fails once.
 */
class DamagedBlobCommandsTest {

    @TempDir
    Path tmp;
    SyncWorld world;
    SyncWorld.Machine m;
    ArtifactKey damaged;
    ArtifactKey intact;

    @BeforeEach
    void setUp() throws Exception {
        world = new SyncWorld(tmp);
        m = world.machine("m");
        damaged = m.put(SyncWorld.key("app", "1"), 20_000);
        intact = m.put(SyncWorld.key("core_lib", "1"), 30_000);
        Path blob = blobOfSize(20_000);
        FileTime mtime = Files.getLastModifiedTime(blob);
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(10_000);
            int b = f.read();
            f.seek(10_000);
            f.write(b ^ 1);
        }
        Files.setLastModifiedTime(blob, mtime);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private Path blobOfSize(long size) throws Exception {
        try (Stream<Path> blobs = Files.walk(m.store().resolve("blobs"))) {
            return blobs.filter(Files::isRegularFile).filter(p -> p.toFile().length() == size).findFirst().orElseThrow();
        }
    }

    private Set<String> uploaded() {
        return world.server.requests().stream().filter(r -> r.method().equals("PUT") && !r.isList())
                .map(RecordedRequest::path).collect(Collectors.toSet());
    }

    @Test
    void pushNeverUploadsAnEntryWhoseBlobNoLongerMatches() throws Exception {
        CliRun push = m.kache("sync", "--push");
        Set<String> sent = uploaded();
        assertTrue(sent.stream().anyMatch(p -> p.contains(intact.cacheKey())), push + "\n" + sent);
        assertFalse(sent.stream().anyMatch(p -> p.contains(damaged.cacheKey())), "the damaged entry stays home: " + sent);
        assertFalse(m.keys().contains(damaged), "and is dropped from the local store");
        assertTrue(Files.isDirectory(m.store().resolve("quarantine")), "its blob is kept as evidence");
    }

    @Test
    void doctorVerifyFindsTheDamagedBlobOnceAndThenPasses() {
        CliRun first = m.kache("doctor", "--verify");
        assertEquals(1, first.exit(), first.toString());
        String line = first.out().lines().filter(l -> l.contains("local store verified:")).findFirst().orElseThrow();
        assertTrue(line.startsWith("  FAIL") && line.contains("1 damaged") && line.contains("1 entries using them dropped"),
                line);
        assertFalse(m.keys().contains(damaged));
        assertTrue(m.keys().contains(intact));

        CliRun second = m.kache("doctor", "--verify");
        assertEquals(0, second.exit(), second.toString());
        assertTrue(second.out().contains("every one matches its content hash"), second.out());
    }
}
