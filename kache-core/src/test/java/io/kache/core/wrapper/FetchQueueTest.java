package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.api.ArtifactKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A prefetch's queue: the record's order, a waiting call's crate first, each fetch handed out once. */
class FetchQueueTest {

    private static InFlightFetches.Claim claim(String crate, char k) {
        return new InFlightFetches.Claim(new ArtifactKey(crate, String.valueOf(k).repeat(64)), new CompletableFuture<>(),
                true);
    }

    private static List<String> drain(FetchQueue q) {
        List<String> crates = new ArrayList<>();
        for (Optional<InFlightFetches.Claim> c = q.next(); c.isPresent(); c = q.next()) {
            crates.add(c.get().key().crateName());
        }
        return crates;
    }

    @Test
    void handsOutTheRecordsOrderWithAWaitingCratesEntriesFirst() {
        FetchQueue q = new FetchQueue(List.of(claim("app", 'a'), claim("c0", 'b'), claim("c1", 'c'),
                claim("derive", 'd'), claim("derive", 'e'), claim("c2", 'f')));
        assertEquals("app", q.next().orElseThrow().key().crateName());
        assertEquals(2, q.promote("derive"));
        assertEquals(0, q.promote("app"), "started already: nothing to move");
        assertEquals(0, q.promote("nothing"));
        assertEquals(List.of("derive", "derive", "c0", "c1", "c2"), drain(q));
        assertEquals(Optional.empty(), q.next());
    }

    @Test
    void waitingCratesTakeTurnsOneEntryEach() {
        FetchQueue q = new FetchQueue(List.of(claim("build_script_build", 'a'), claim("build_script_build", 'b'),
                claim("build_script_build", 'c'), claim("c0", 'd'), claim("derive", 'e'), claim("c1", 'f'),
                claim("macros", '0'), claim("macros", '1')));
        assertEquals(3, q.promote("build_script_build"));
        assertEquals(1, q.promote("derive"));
        assertEquals(2, q.promote("macros"));
        assertEquals(List.of("build_script_build", "derive", "macros", "build_script_build", "macros",
                "build_script_build", "c0", "c1"), drain(q));
    }
}
