package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.server.ServerDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wrapper.log} past its bound is rotated once to {@code wrapper.log.1}, by one process or several at once. */
class BoundedLogTest {

    private static final long UID = new com.sun.security.auth.module.UnixSystem().getUid();
    private static final long MAX = 1000;
    /** 20 bytes with its newline. */
    private static final String LINE = "line %04d of logs %s\n";

    @TempDir
    Path tmp;
    ServerDirectory dir;
    Path log;
    Path rotated;

    @BeforeEach
    void setUp() throws Exception {
        dir = ServerDirectory.claim(tmp.resolve("srv"), UID);
        log = dir.path().resolve(WrapperLog.JVM_LOG);
        rotated = dir.path().resolve(WrapperLog.JVM_LOG + ".1");
    }

    @Test
    void aLogPastItsBoundIsRotatedAndTheNewestLinesKept() throws Exception {
        BoundedLog bounded = new BoundedLog(dir, WrapperLog.JVM_LOG, MAX, 4);
        for (int i = 0; i < 200; i++) {
            bounded.append(String.format(LINE, i, "a"));
        }
        // 4000 bytes written: rotated more than once, each file at most the bound and the lines before a measure.
        assertTrue(Files.size(log) <= MAX + 4 * 20, Files.size(log) + " bytes");
        assertTrue(Files.size(rotated) > MAX && Files.size(rotated) <= MAX + 4 * 20, Files.size(rotated) + " bytes");
        List<String> lines = new ArrayList<>(Files.readAllLines(rotated));
        lines.addAll(Files.readAllLines(log));
        assertEquals(String.format(LINE, 199, "a").strip(), lines.get(lines.size() - 1));
        for (int i = 1; i < lines.size(); i++) {
            assertEquals(number(lines.get(i - 1)) + 1, number(lines.get(i)), "no line lost between the two:\n" + lines);
        }
        assertFalse(Files.exists(dir.path().resolve(WrapperLog.JVM_LOG + ".2")), "rotated once, not kept further");
    }

    @Test
    void aLogUnderItsBoundIsLeftAlone() throws Exception {
        BoundedLog bounded = new BoundedLog(dir, WrapperLog.JVM_LOG, MAX, 1);
        for (int i = 0; i < 50; i++) {
            bounded.append(String.format(LINE, i, "a"));
        }
        assertEquals(MAX, Files.size(log));
        assertFalse(Files.exists(rotated));
    }

    @Test
    void aProcessThatLostTheRaceLeavesTheNewFileAndTheRotatedOne() throws Exception {
        // Two processes both found the log too long; the first renamed it and a line started a new one.
        Files.writeString(rotated, "the first one's rotated lines\n");
        Files.writeString(log, "a new line\n");
        dir.rotate(WrapperLog.JVM_LOG, MAX);
        assertEquals("the first one's rotated lines\n", Files.readString(rotated));
        assertEquals("a new line\n", Files.readString(log));
    }

    @Test
    void processesSideBySideKeepBothFilesBoundedAndEveryLineWhole() throws Exception {
        // Each BoundedLog counts its own lines, as each JVM does.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                BoundedLog bounded = new BoundedLog(dir, WrapperLog.JVM_LOG, MAX, 4);
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        bounded.append(String.format(LINE, i, name));
                    }
                    return null;
                }));
            }
            for (Future<?> w : writers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (Path f : List.of(log, rotated)) {
            // Every writer may have appended up to a measure's worth after the file passed the bound.
            assertTrue(Files.size(f) <= MAX + 4 * 4 * 20, f + ": " + Files.size(f) + " bytes");
            for (String l : Files.readAllLines(f)) {
                assertTrue(l.matches("line \\d{4} of logs [abcd]"), "a whole line: " + l);
            }
        }
    }

    private static int number(String line) {
        return Integer.parseInt(line.substring(5, 9));
    }
}
