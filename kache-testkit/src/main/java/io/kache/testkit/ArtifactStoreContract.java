package io.kache.testkit;

import io.kache.api.ArtifactStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour every {@link ArtifactStore} must show, as JUnit 5 tests. A backend's test extends
 * this class and supplies a fresh store:
 *
 * <pre>{@code
 * class MyStoreContractTest extends ArtifactStoreContract {
 *     @TempDir Path dir;
 *
 *     @Override
 *     protected ArtifactStore newStore() throws Exception {
 *         return new MyStoreProvider().open(RemoteSettings.filesystem(dir));
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets its own store from {@link #newStore()}, opened before and closed after it; the
 * store must start empty. A backend that cannot do something declares it in {@link #capabilities()}
 * with a reason, and the tests needing it are reported as skipped with that reason.
 */
public abstract class ArtifactStoreContract {

    private ContractFixture fixture;

    /**
     * A new, empty store for one test, e.g. over a fresh directory, bucket or prefix.
     */
    protected abstract ArtifactStore newStore() throws Exception;

    /** What the backend can do; by default everything. */
    protected StoreCapabilities capabilities() {
        return StoreCapabilities.all();
    }

    /**
     * Places an object that kache did not write under the store's prefix, e.g. {@code serde/README.md}
     * becomes {@code {prefix}/serde/README.md}. Stores must ignore such objects when listing.
     * Backends that cannot do this declare {@link StoreCapabilities.Capability#FOREIGN_OBJECTS} missing.
     *
     * @param store the store of the running test, as returned by {@link #newStore()}
     * @param nameUnderPrefix a {@code /}-separated name relative to the prefix
     */
    protected void putForeignObject(ArtifactStore store, String nameUnderPrefix, byte[] content) throws Exception {
        throw new UnsupportedOperationException("override putForeignObject, or declare "
                + "capabilities().without(FOREIGN_OBJECTS, reason)");
    }

    @BeforeEach
    final void openStore() throws Exception {
        ArtifactStore store = newStore();
        if (store == null) {
            throw new IllegalStateException(getClass().getName() + ".newStore() returned null");
        }
        fixture = new ContractFixture(store, capabilities(), this::putForeignObject);
    }

    @AfterEach
    final void closeStore() {
        if (fixture != null) {
            fixture.store().close();
            fixture = null;
        }
    }

    private ContractFixture fixture() {
        if (fixture == null) {
            throw new IllegalStateException("no store is open outside a contract test");
        }
        return fixture;
    }

    @Nested
    public class RoundTrips extends RoundTripChecks {
        public RoundTrips() {
            super(ArtifactStoreContract.this::fixture);
        }
    }

    @Nested
    public class Listing extends ListingChecks {
        public Listing() {
            super(ArtifactStoreContract.this::fixture);
        }
    }

    @Nested
    public class Writes extends WriteChecks {
        public Writes() {
            super(ArtifactStoreContract.this::fixture);
        }
    }

    @Nested
    public class Keys extends KeyChecks {
        public Keys() {
            super(ArtifactStoreContract.this::fixture);
        }
    }
}
