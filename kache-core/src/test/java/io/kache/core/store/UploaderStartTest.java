package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.remote.RemoteDestination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Of a build's misses, one launches the uploader while its JVM starts, not each of them. */
class UploaderStartTest {

    private static final RemoteDestination A = new RemoteDestination("0123456789abcdef");
    private static final RemoteDestination B = new RemoteDestination("fedcba9876543210");

    @TempDir
    Path temp;
    LocalStore store;

    @BeforeEach
    void open() throws Exception {
        store = LocalStore.open(temp.resolve("store"), 1L << 30);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void oneLaunchPerRemoteUntilItsUploaderHoldsTheLockOrTheGracePasses() throws Exception {
        PendingUploads queue = store.pendingUploads();
        assertTrue(queue.claimStart(A), "the first miss launches");
        assertFalse(queue.claimStart(A), "the next ones, while that JVM starts, do not");
        assertTrue(queue.claimStart(B), "another remote's uploader is launched all the same");

        queue.started(A);
        assertTrue(queue.claimStart(A), "once an uploader held its lock (and may have finished), a miss launches again");

        Path mark = temp.resolve("store/pending/.uploader." + A.id() + ".starting");
        assertTrue(Files.exists(mark));
        Files.setLastModifiedTime(mark, FileTime.from(Instant.now().minus(PendingUploads.START_GRACE).minusSeconds(1)));
        assertTrue(queue.claimStart(A), "a launch whose uploader never took its lock is stale after the grace");
        assertFalse(queue.claimStart(A));
        Files.setLastModifiedTime(mark, FileTime.from(Instant.now().plusSeconds(3600)));
        assertTrue(queue.claimStart(A), "a mark dated in the future (the clock stepped back) is stale");
        assertTrue(queue.list(A).isEmpty() && queue.list().isEmpty(), "the mark is no queued entry");
    }
}
