package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.core.hash.Sha256;
import io.kache.core.sync.Direction;
import io.kache.core.sync.SyncListener;
import io.kache.core.sync.SyncPlan;
import io.kache.core.sync.Transfer;
import io.kache.core.sync.TransferOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The progress display of a sync whose pulls start while crates are still being listed. */
class SyncProgressTest {

    private final StringWriter text = new StringWriter();

    private static List<Transfer> pulls(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Transfer(Direction.PULL,
                new ArtifactKey("serde", Sha256.of(("k" + i).getBytes(StandardCharsets.UTF_8))), -1)).toList();
    }

    private static TransferOutcome done(Transfer t) {
        return new TransferOutcome(t, TransferOutcome.Status.DONE, 1000, 1, "");
    }

    @Test
    void plainLinesWaitForTheTotalThenCountWhatFinishedDuringTheListing() {
        SyncListener progress = SyncProgress.create(new PrintWriter(text), false);
        List<Transfer> pulls = pulls(20);
        for (Transfer t : pulls.subList(0, 5)) {
            progress.finished(done(t));
        }
        assertEquals("", text.toString(), "no share of an unknown total is printed");

        progress.planned(new SyncPlan(pulls, List.of(), List.of(), List.of()));
        assertTrue(text.toString().startsWith("kache sync: pull 5/20 (25%)"), text.toString());
        for (Transfer t : pulls.subList(5, 20)) {
            progress.finished(done(t));
        }
        // One line per tenth reached, each once: 25% (shown with the total), then 30% ... 100%.
        assertEquals(List.of("5/20 (25%)", "6/20 (30%)", "8/20 (40%)", "10/20 (50%)", "12/20 (60%)", "14/20 (70%)",
                "16/20 (80%)", "18/20 (90%)", "20/20 (100%)"), text.toString().lines()
                .map(l -> l.replaceAll("^kache sync: pull (\\S+ \\S+),.*$", "$1")).toList());
    }

    @Test
    void aTerminalShowsPullsWhileListingAndEndsWithTheWholeCount() {
        SyncListener progress = SyncProgress.create(new PrintWriter(text), true);
        List<Transfer> pulls = pulls(3);
        progress.finished(done(pulls.get(0)));
        assertTrue(text.toString().contains("pull 1 (listing crates)"), text.toString());

        progress.finished(done(pulls.get(1)));
        progress.finished(done(pulls.get(2)));
        progress.planned(new SyncPlan(pulls, List.of(), List.of(), List.of()));
        assertTrue(text.toString().contains("\rpull 3/3 (100%), 2.9 KiB, "), text.toString());
        assertEquals(text.toString().split("\r").length - 1, text.toString().split("\u001b\\[K").length - 1,
                "every redraw clears the rest of the longer line before it");
        assertTrue(text.toString().endsWith(System.lineSeparator()), "the finished line is ended");
    }
}
