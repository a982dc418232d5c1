package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule a prefetch and a pull keep to: what they bring stays within 90% of the store's cap. */
class ImportBudgetTest {

    @TempDir
    Path tmp;

    @Test
    void entriesAreKeptUpToNinetyPercentOfTheCapAndNoneOnceOneDidNotFit() throws Exception {
        try (LocalStore store = LocalStore.open(tmp, 1000)) {
            ImportBudget budget = ImportBudget.of(store);
            assertTrue(budget.take(600));
            assertTrue(budget.take(300), "900 bytes: exactly what an eviction leaves");
            assertFalse(budget.reached());
            assertFalse(budget.take(1), "one byte more would be evicted again");
            assertTrue(budget.reached());
            assertFalse(budget.take(0), "the run stopped: not even an empty entry");
            assertEquals(900, budget.taken());
            assertTrue(budget.explanation().contains("local_max_size")
                    && budget.explanation().contains("KACHE_MAX_SIZE"), budget.explanation());
        }
    }

    @Test
    void theUnlimitedBudgetTakesEverything() {
        assertTrue(ImportBudget.UNLIMITED.take(Long.MAX_VALUE));
        assertTrue(ImportBudget.UNLIMITED.take(Long.MAX_VALUE));
        assertFalse(ImportBudget.UNLIMITED.reached());
    }
}
