package io.kache.testkit.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.ArtifactStore;
import io.kache.api.ForwardingArtifactStore;
import io.kache.api.StoreException;
import io.kache.testkit.ArtifactStoreContract;
import io.kache.testkit.InMemoryArtifactStore;
import io.kache.testkit.StoreCapabilities;
import io.kache.testkit.StoreCapabilities.Capability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The contract is worth something only if it fails a broken store and reports skips with their
 * reason. This runs it, through the JUnit launcher, against stores made to misbehave.
 */
class ContractVerdictTest {

    @Test
    void aStoreWhoseListBleedsIntoLongerCrateNamesFails() {
        Map<String, TestExecutionResult> results = run(BleedingStoreContract.class);
        assertEquals(TestExecutionResult.Status.FAILED,
                results.get("listDoesNotBleedIntoLongerCrateNames()").getStatus());
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("smallArtifactRoundTrips()").getStatus());
    }

    @Test
    void aMissingCapabilitySkipsWithItsReason() {
        List<String> skipped = new ArrayList<>();
        Map<String, TestExecutionResult> results = run(NoManyEntriesContract.class, skipped);
        assertTrue(skipped.contains("listPagesPastOneThousandEntries(): Assumption failed: backend lacks MANY_ENTRIES: too slow here"),
                "skips: " + skipped);
        assertTrue(skipped.stream().anyMatch(s -> s.startsWith("listIgnoresForeignObjectsUnderThePrefix()")),
                "skips: " + skipped);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("listDoesNotBleedIntoLongerCrateNames()").getStatus());
    }

    private static Map<String, TestExecutionResult> run(Class<?> contract) {
        return run(contract, new ArrayList<>());
    }

    private static Map<String, TestExecutionResult> run(Class<?> contract, List<String> skipped) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                results.put(id.getDisplayName(), result);
                // A failed assumption is reported as ABORTED, carrying the reason in its exception.
                if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    skipped.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::getMessage).orElse(""));
                }
            }
        };
        LauncherFactory.create().execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contract)).build(), listener);
        return results;
    }

    /** Lists by a prefix without the trailing slash: the classic serde/serde_json bug. */
    static final class BleedingStore extends ForwardingArtifactStore {
        BleedingStore() {
            super(new InMemoryArtifactStore());
        }

        @Override
        public Stream<ArtifactKey> list(String crateName) throws StoreException {
            return delegate().listAll().filter(k -> k.crateName().startsWith(crateName));
        }
    }

    static class BleedingStoreContract extends ArtifactStoreContract {
        @Override
        protected ArtifactStore newStore() {
            return new BleedingStore();
        }

        @Override
        protected StoreCapabilities capabilities() {
            return StoreCapabilities.all().without(Capability.FOREIGN_OBJECTS, "not under test here");
        }
    }

    static class NoManyEntriesContract extends ArtifactStoreContract {
        @Override
        protected ArtifactStore newStore() {
            return new InMemoryArtifactStore(ArtifactLayout.withPrefix("skips"));
        }

        @Override
        protected StoreCapabilities capabilities() {
            return StoreCapabilities.all()
                    .without(Capability.MANY_ENTRIES, "too slow here")
                    .without(Capability.FOREIGN_OBJECTS, "not under test here");
        }
    }
}
