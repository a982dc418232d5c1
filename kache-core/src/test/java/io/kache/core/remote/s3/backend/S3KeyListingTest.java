package io.kache.core.remote.s3.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.api.StoreException;
import io.kache.api.StoreUnavailableException;
import io.kache.testkit.TestKeys;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Listed names become keys only when well-formed; the first failure is checked, later ones are not. */
class S3KeyListingTest {

    private static final ArtifactLayout LAYOUT = ArtifactLayout.withPrefix("artifacts");
    private static final ArtifactKey SERDE = TestKeys.key("serde", 0);
    private static final ArtifactKey SYN = TestKeys.key("syn", 0);

    /** Names served in order; an exception in the list is thrown when its turn comes. */
    private static final class ScriptedNames implements S3KeyListing.ObjectNames {
        private final Deque<Object> script;
        private int calls;

        ScriptedNames(Object... script) {
            this.script = new ArrayDeque<>(List.of(script));
        }

        @Override
        public String next() throws StoreException {
            calls++;
            Object item = script.poll();
            if (item instanceof StoreException e) {
                throw e;
            }
            return (String) item;
        }
    }

    @Test
    void foreignNamesAreSkippedAndKeysKeepListingOrder() throws StoreException {
        ScriptedNames names = new ScriptedNames("artifacts/serde/README.md", LAYOUT.objectName(SERDE),
                "artifacts/../etc/passwd.tar.zst", "artifacts/syn/NOTAKEY.tar.zst", LAYOUT.objectName(SYN));
        try (Stream<ArtifactKey> keys = S3KeyListing.stream(names, LAYOUT)) {
            assertEquals(List.of(SERDE, SYN), keys.toList());
        }
        assertEquals(6, names.calls, "the end is asked for once");
    }

    @Test
    void aFailureBeforeTheFirstKeyIsChecked() {
        StoreUnavailableException refused = new StoreUnavailableException("ListObjectsV2 refused");
        ScriptedNames names = new ScriptedNames("artifacts/serde/foreign.txt", refused);
        assertSame(refused, assertThrows(StoreException.class, () -> S3KeyListing.stream(names, LAYOUT)));
    }

    @Test
    void aFailureOfALaterPageSurfacesWhileConsuming() throws StoreException {
        StoreUnavailableException later = new StoreUnavailableException("page 2 failed");
        ScriptedNames names = new ScriptedNames(LAYOUT.objectName(SERDE), later);
        try (Stream<ArtifactKey> keys = S3KeyListing.stream(names, LAYOUT)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, keys::toList);
            assertSame(later, e.getCause());
        }
    }

    @Test
    void anEmptyListingIsAnEmptyStream() throws StoreException {
        try (Stream<ArtifactKey> keys = S3KeyListing.stream(new ScriptedNames(), LAYOUT)) {
            assertEquals(0, keys.count());
        }
    }
}
