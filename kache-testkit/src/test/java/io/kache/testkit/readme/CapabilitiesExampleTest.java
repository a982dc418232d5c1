package io.kache.testkit.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;

import com.example.kache.dir.DirStoreProvider;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.ArtifactStoreContract;
import io.kache.testkit.StoreCapabilities;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The README's capabilities fragment, compiled and run against the example backend: a declared gap
 * skips the test needing it with the stated reason, and the (larger) large round trip still passes.
 */
class CapabilitiesExampleTest {

    private static final String FOREIGN = "listIgnoresForeignObjectsUnderThePrefix()";
    private static final String LARGE = "largeArtifactRoundTripsAsAStream()";

    @Test
    void aDeclaredGapSkipsWithItsReasonAndTheRestRuns() {
        Map<String, TestExecutionResult> results = run(
                selectNestedMethod(List.of(DeclaredGapsContract.class), ArtifactStoreContract.Listing.class,
                        "listIgnoresForeignObjectsUnderThePrefix"),
                selectNestedMethod(List.of(DeclaredGapsContract.class), ArtifactStoreContract.RoundTrips.class,
                        "largeArtifactRoundTripsAsAStream"));

        assertEquals(Status.ABORTED, results.get(FOREIGN).getStatus(), "results: " + results);
        assertEquals("Assumption failed: backend lacks FOREIGN_OBJECTS: the service rejects names it did not issue",
                results.get(FOREIGN).getThrowable().map(Throwable::getMessage).orElse(""));
        assertEquals(Status.SUCCESSFUL, results.get(LARGE).getStatus(), "results: " + results);
    }

    private static Map<String, TestExecutionResult> run(DiscoverySelector... selectors) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                results.put(id.getDisplayName(), result);
            }
        };
        LauncherFactory.create().execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectors).build(), listener);
        return results;
    }

    /** The example backend with the README's declared gaps; run only through the launcher above. */
    static class DeclaredGapsContract extends ArtifactStoreContract {
        @TempDir Path dir;

        @Override
        protected ArtifactStore newStore() throws Exception {
            return new DirStoreProvider().open(RemoteSettings.filesystem(dir));
        }

        @Override
        protected StoreCapabilities capabilities() {
            return StoreCapabilities.all()
                    .without(StoreCapabilities.Capability.FOREIGN_OBJECTS, "the service rejects names it did not issue")
                    .withLargeArtifactSize(20L * 1024 * 1024);   // e.g. just above a multipart threshold
        }
    }
}
