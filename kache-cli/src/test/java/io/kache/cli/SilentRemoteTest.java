package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.sync.OutageGuard;
import io.kache.core.sync.cargo.ProjectCrates;
import io.kache.testkit.s3.SilentServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote that accepts connections and never answers: {@code sync} and {@code doctor} give up
 * within a few {@code timeout}s, not one per crate and attempt, and say what they could not do.
 */
class SilentRemoteTest {

    /** Small, so the test is quick; large enough that start-up noise cannot pass for a timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /**
     * Start-up of the S3 client, the config and cargo metadata: not the remote's time, but seconds
     * on a loaded machine. The connection counts are the sharp measure.
     */
    static final Duration SLACK = Duration.ofSeconds(5);

    @TempDir
    Path tmp;
    SyncWorld world;
    SilentServer silent;
    SyncWorld.Machine machine;

    @BeforeEach
    void setUp() throws Exception {
        world = new SyncWorld(tmp);
        silent = SilentServer.start();
        machine = world.machine("m", silent.endpoint(), SyncWorld.ACCESS_KEY, SyncWorld.SECRET_KEY);
        Path config = Path.of(machine.env().get("XDG_CONFIG_HOME"), "kache", "config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "[cache.remote]\ntype = \"s3\"\ntimeout = \"" + TIMEOUT.toSeconds() + "s\"\n");
    }

    @AfterEach
    void tearDown() {
        silent.close();
        world.close();
    }

    /** One listing at a time, the slowest case: three listings wait out the timeout, the rest are given up. */
    @Test
    void aPullGivesUpWithinAFewTimeoutsAndReportsEveryCrate() throws Exception {
        Set<String> crates = ProjectCrates.discover(machine.project(), Optional.empty(), machine.env()).pull()
                .orElseThrow();
        assertTrue(crates.size() > 3, "more crates than requests before the remote is given up: " + crates);

        long begin = System.nanoTime();
        CliRun pull = machine.kache(Map.of("KACHE_S3_CONCURRENCY", "1"), "sync", "--pull");
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertEquals(SyncCommand.EXIT_INCOMPLETE, pull.exit(), pull.toString());
        assertTrue(took.compareTo(TIMEOUT.multipliedBy(3).plus(SLACK)) <= 0, "took " + took + "\n" + pull);
        Matcher summary = Pattern.compile(" in ([0-9.]+) s \\(").matcher(pull.out());
        assertTrue(summary.find(), pull.out());
        Duration syncing = Duration.ofMillis((long) (Double.parseDouble(summary.group(1)) * 1000));
        // The summary gives the command's wall time (crates found, record read, listings): the same bound.
        assertTrue(syncing.compareTo(TIMEOUT.multipliedBy(3).plus(SLACK)) <= 0, "listing took " + syncing);
        // The build record's GET comes first and counts toward the outage like a listing.
        assertTrue(silent.connections() <= OutageGuard.FAILURES_IN_A_ROW + 2,
                "one request per listing, one attempt each, after the record's: " + silent.connections());
        for (String crate : crates) {
            assertTrue(pull.out().contains("failed: listing crate " + crate + " failed: "), crate + ": " + pull.out());
        }
        // The build record's read was the first of the failures in a row.
        assertEquals(crates.size() - (OutageGuard.FAILURES_IN_A_ROW - 1), pull.out().lines()
                .filter(l -> l.contains("not tried: the remote")).count(), "the rest were given up: " + pull.out());
    }

    @Test
    void doctorGivesUpWithinAboutOneTimeout() {
        long begin = System.nanoTime();
        CliRun doctor = machine.kache("doctor");
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertEquals(1, doctor.exit(), doctor.toString());
        assertTrue(doctor.out().contains("FAIL  remote list"), doctor.out());
        assertFalse(doctor.out().contains("ok    remote"), doctor.out());
        // One LIST, its retries included, within the timeout; the writes are skipped after it.
        assertTrue(took.compareTo(TIMEOUT.multipliedBy(2).plus(SLACK)) <= 0, "took " + took + "\n" + doctor);
        assertEquals(1, silent.connections(), "one attempt: it waited out the timeout");
    }
}
