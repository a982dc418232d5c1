package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** A prefetch's fetches at once: a few first, one more per fetch ended, never above the ceiling. */
class FetchSlotsTest {

    @Test
    void oneMoreFetchRunsAfterEachEndsUpToTheCeiling() {
        FetchSlots slots = new FetchSlots(2, 4);
        assertTrue(slots.tryTake());
        assertTrue(slots.tryTake());
        assertFalse(slots.tryTake(), "two at first");

        slots.fetchEnded();
        assertEquals(3, slots.opened());
        assertTrue(slots.tryTake());
        assertTrue(slots.tryTake());
        assertFalse(slots.tryTake(), "three once one ended");

        slots.fetchEnded();
        slots.fetchEnded();
        assertEquals(4, slots.opened(), "the ceiling");
        assertTrue(slots.tryTake());
        assertTrue(slots.tryTake());
        assertTrue(slots.tryTake());
        assertFalse(slots.tryTake(), "never more than the ceiling");
    }

    @Test
    void aSlotTakenForNothingIsHandedBackWithoutOpeningAnother() {
        FetchSlots slots = new FetchSlots(1, 8);
        assertTrue(slots.tryTake());
        slots.giveBack();
        assertEquals(1, slots.opened());
        assertTrue(slots.tryTake());
        assertFalse(slots.tryTake());
    }

    @Test
    void aCeilingBelowTheFirstCountIsTheCount() {
        FetchSlots slots = new FetchSlots(16, 2);
        assertTrue(slots.tryTake());
        assertTrue(slots.tryTake());
        assertFalse(slots.tryTake());
    }

    /** Any run of starts and ends: never more running than opened, opened never above the ceiling. */
    @Property
    void runningNeverExceedsOpenedNorOpenedTheCeiling(@ForAll @IntRange(min = 1, max = 8) int first,
            @ForAll @IntRange(min = 1, max = 32) int ceiling, @ForAll @Size(max = 200) List<Boolean> starts) {
        FetchSlots slots = new FetchSlots(first, ceiling);
        int running = 0;
        int ended = 0;
        for (boolean start : starts) {
            if (start) {
                if (slots.tryTake()) {
                    running++;
                } else {
                    assertEquals(slots.opened(), running, "refused only when every open slot runs a fetch");
                }
            } else if (running > 0) {
                running--;
                ended++;
                slots.fetchEnded();
            }
            assertTrue(running <= slots.opened());
            assertTrue(slots.opened() <= ceiling);
            assertEquals(Math.min(ceiling, Math.min(first, ceiling) + ended), slots.opened());
        }
    }
}
