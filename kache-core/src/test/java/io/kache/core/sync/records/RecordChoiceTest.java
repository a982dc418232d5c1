package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.EntryReader;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RecordChoiceTest {

    private static final BuildIdentity ID = new BuildIdentity("tc", "host", "debug", "none", "lock1", "members");
    private static final ArtifactKey KEY = new ArtifactKey("core_lib", "ab".repeat(32));
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    /** Records only: what choose() reads. */
    private static class Records implements ArtifactStore {
        final Map<String, byte[]> slots = new HashMap<>();
        StoreException failure;
        CountDownLatch hold;

        @Override
        public Optional<byte[]> readRecord(String slot, int maxBytes) throws StoreException {
            if (hold != null) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure != null) {
                throw failure;
            }
            byte[] b = slots.get(slot);
            if (b != null && b.length > maxBytes) {
                throw new CorruptedEntryException("larger than " + maxBytes);
            }
            return Optional.ofNullable(b);
        }

        @Override
        public boolean load(ArtifactKey key, EntryReader reader) {
            return false;
        }

        @Override
        public void store(ArtifactKey key, ArtifactSource source) {
        }

        @Override
        public boolean contains(ArtifactKey key) {
            return false;
        }

        @Override
        public Stream<ArtifactKey> list(String crateName) {
            return Stream.empty();
        }

        @Override
        public Stream<ArtifactKey> listAll() {
            return Stream.empty();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theExactSlotIsReadFirst() {
        Records r = new Records();
        r.slots.put(ID.exactSlot(), new BuildRecord(1, "b", ID, Set.of(KEY)).encode());
        RecordChoice c = RecordChoice.choose(r, ID, DEADLINE);
        assertEquals(Set.of(KEY), c.record().orElseThrow().entries());
        assertEquals(Optional.of(ID.exactSlot()), c.slot());
    }

    @Test
    void aRecordOfAnotherIdentityIsIgnoredOnceAndTheLineSlotServesAnotherLockFile() {
        Records r = new Records();
        BuildIdentity foreign = new BuildIdentity("other-toolchain", "host", "debug", "none", "lock1", "members");
        r.slots.put(ID.exactSlot(), new BuildRecord(1, "b", foreign, Set.of(KEY)).encode());
        BuildIdentity previousLock = new BuildIdentity("tc", "host", "debug", "none", "lock0", "members");
        r.slots.put(ID.lineSlot(), new BuildRecord(2, "b", previousLock, Set.of(KEY)).encode());
        RecordChoice c = RecordChoice.choose(r, ID, DEADLINE);
        assertEquals(Optional.of(ID.lineSlot()), c.slot());
        assertEquals(1, c.notes().stream().filter(n -> n.contains("ignored")).count(), c.notes().toString());
    }

    @Test
    void oversizedAndUnreadableRecordsCostOnlyTheListing() {
        Records r = new Records();
        r.slots.put(ID.exactSlot(), new byte[BuildRecord.MAX_BYTES + 1]);
        r.slots.put(ID.lineSlot(), "{\"format\":\"kache-build-record-1\"".getBytes());
        RecordChoice c = RecordChoice.choose(r, ID, DEADLINE);
        assertTrue(c.record().isEmpty());
        assertEquals(2, c.notes().stream().filter(n -> n.contains("ignored")).count(), c.notes().toString());

        r.failure = new StoreUnavailableException("down");
        RecordChoice down = RecordChoice.choose(r, ID, DEADLINE);
        assertTrue(down.notes().get(0).contains("listing instead"));
        assertFalse(down.unanswered(), "an error is an answer; only silence is unanswered");
    }

    @Test
    void aRemoteThatDoesNotAnswerIsNotWaitedForBeyondTheDeadline() {
        Records r = new Records();
        r.hold = new CountDownLatch(1);
        long start = System.nanoTime();
        RecordChoice c = RecordChoice.choose(r, ID, Duration.ofMillis(200));
        r.hold.countDown();
        assertTrue(c.record().isEmpty());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0);
        assertEquals(List.of(c.notes().get(0)), c.notes());
        assertTrue(c.notes().get(0).contains("did not answer"), c.notes().toString());
        assertTrue(c.unanswered());
    }
}
