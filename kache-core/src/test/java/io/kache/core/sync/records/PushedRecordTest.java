package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.StoreUnavailableException;
import io.kache.core.sync.Direction;
import io.kache.core.sync.SyncResult;
import io.kache.core.sync.Transfer;
import io.kache.core.sync.TransferOutcome;
import io.kache.core.sync.TransferOutcome.Status;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A record names only entries the remote is known to have; a record naming none is never written,
 * and a reader takes an empty one (an older kache's) for no record at all; a record the remote did
 * not take makes the push incomplete.
 */
class PushedRecordTest {

    private static final BuildIdentity ID = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members");
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private static ArtifactKey key(String crate, char c) {
        return new ArtifactKey(crate, String.valueOf(c).repeat(64));
    }

    private static SyncResult pushed(Map<ArtifactKey, Status> outcomes) {
        List<TransferOutcome> list = outcomes.entrySet().stream().map(e -> new TransferOutcome(
                new Transfer(Direction.PUSH, e.getKey(), 10), e.getValue(), 0, 1,
                e.getValue() == Status.DONE ? "" : "PUT failed")).toList();
        return new SyncResult(list, List.of(), Map.of(), Duration.ZERO);
    }

    private static BuildRecord record(ArtifactKey... keys) {
        return new BuildRecord(1, "b", ID, new LinkedHashSet<>(List.of(keys)));
    }

    @Test
    void aPushWhoseEveryEntryFailedWritesNoRecordAndKeepsThePreviousOne() throws Exception {
        MemoryRemote remote = new MemoryRemote();
        ArtifactKey a = key("a", 'a');
        ArtifactKey b = key("b", 'b');
        byte[] previous = record(key("a", '0'), key("b", '0')).encode();
        remote.slots.put(ID.exactSlot(), previous);
        remote.slots.put(ID.lineSlot(), previous);

        RecordWriter.Pushed p = RecordWriter.afterPush(remote, record(a, b), pushed(Map.of(a, Status.FAILED,
                b, Status.FAILED)), 4);

        assertEquals(List.of(), p.slots(), p.note());
        assertFalse(p.failed(), "nothing was asked of the remote: the entries' failures already say it");
        assertTrue(p.note().startsWith("not written: none of the build's 2 entries"), p.note());
        assertEquals(List.of(), remote.writes);
        assertEquals(previous, remote.slots.get(ID.exactSlot()));
    }

    @Test
    void theRecordNamesThePushedEntriesAndThoseTheRemoteHasNotThoseItLacksOrFailed() throws Exception {
        MemoryRemote remote = new MemoryRemote();
        ArtifactKey sent = key("sent", 'a');
        ArtifactKey already = key("already", 'b');
        ArtifactKey failed = key("failed", 'c');
        ArtifactKey nowhere = key("nowhere", 'd');
        remote.entries.add(already);
        remote.entries.add(sent);
        remote.entries.add(failed); // a failed PUT is not counted even if some object is there

        RecordWriter.Pushed p = RecordWriter.afterPush(remote, record(sent, already, failed, nowhere),
                pushed(Map.of(sent, Status.DONE, failed, Status.FAILED)), 2);

        assertEquals(List.of(ID.exactSlot(), ID.lineSlot()), p.slots());
        assertEquals(List.of(sent, already), List.copyOf(remote.record(ID.exactSlot()).entries()));
        assertTrue(p.note().endsWith(": 2 entries"), p.note());
    }

    @Test
    void aRecordTheRemoteDidNotTakeMakesThePushIncomplete() {
        MemoryRemote remote = new MemoryRemote();
        ArtifactKey a = key("a", 'a');
        remote.writeFailure = new StoreUnavailableException("503 on the record");

        RecordWriter.Pushed p = RecordWriter.afterPush(remote, record(a), pushed(Map.of(a, Status.DONE)), 2);

        assertTrue(p.failed(), p.note());
        assertTrue(p.note().contains("503 on the record"), p.note());
    }

    @Test
    void aRecordWithoutEntriesIsNeverWritten() throws Exception {
        MemoryRemote remote = new MemoryRemote();
        assertEquals(List.of(), RecordWriter.write(remote, new BuildRecord(1, "b", ID, Set.of())));
        assertEquals(List.of(), remote.writes);
    }

    @Test
    void anEmptyRecordIsNoRecordTheLineSlotOrTheListingServes() {
        MemoryRemote remote = new MemoryRemote();
        // As an older kache wrote after a push whose every entry failed.
        remote.slots.put(ID.exactSlot(), new BuildRecord(2, "b", ID, Set.of()).encode());
        RecordChoice none = RecordChoice.choose(remote, ID, DEADLINE);
        assertEquals(Optional.empty(), none.record());
        assertTrue(none.notes().contains("build record " + ID.exactSlot() + " ignored: it names no entries"),
                none.notes().toString());

        ArtifactKey a = key("a", 'a');
        remote.slots.put(ID.lineSlot(), record(a).encode());
        RecordChoice line = RecordChoice.choose(remote, ID, DEADLINE);
        assertEquals(Optional.of(ID.lineSlot()), line.slot());
        assertEquals(Set.of(a), line.record().orElseThrow().entries());
    }
}
