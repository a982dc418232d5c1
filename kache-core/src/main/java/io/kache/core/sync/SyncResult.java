package io.kache.core.sync;

import io.kache.api.ArtifactKey;
import io.kache.core.sync.TransferOutcome.Status;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a sync ended: every transfer's outcome, the listings that failed, and the directions the
 * remote refused.
 *
 * @param outcomes one per planned transfer, pulls first
 * @param listingFailures from the plan: crates whose remote listing failed
 * @param refusals per direction, the explanation of a refusal (access denied, missing bucket)
 * @param elapsed wall time of the transfers, and of the listing when it ran beside them
 * @param listedInRemote from the plan: the build record's entries the listing found in the remote
 * @param stoppedAtCap why the pull stopped bringing entries in, naming the local store's cap and how to
 *     raise it ({@link io.kache.core.store.ImportBudget#explanation}); empty when it did not stop
 */
public record SyncResult(List<TransferOutcome> outcomes, List<String> listingFailures,
                         Map<Direction, String> refusals, Duration elapsed, Set<ArtifactKey> listedInRemote,
                         Optional<String> stoppedAtCap) {

    public SyncResult {
        outcomes = List.copyOf(outcomes);
        listingFailures = List.copyOf(listingFailures);
        Map<Direction, String> copy = new EnumMap<>(Direction.class);
        copy.putAll(refusals);
        refusals = java.util.Collections.unmodifiableMap(copy);
        Objects.requireNonNull(elapsed, "elapsed");
        listedInRemote = Set.copyOf(listedInRemote);
        Objects.requireNonNull(stoppedAtCap, "stoppedAtCap");
    }

    /** A result whose plan had no build record's entries, of a pull that did not stop at the local store's cap. */
    public SyncResult(List<TransferOutcome> outcomes, List<String> listingFailures, Map<Direction, String> refusals,
                      Duration elapsed) {
        this(outcomes, listingFailures, refusals, elapsed, Set.of(), Optional.empty());
    }

    /** Transfers of {@code direction} that ended with {@code status}. */
    public long count(Direction direction, Status status) {
        return outcomes.stream().filter(o -> o.transfer().direction() == direction && o.status() == status).count();
    }

    /** Packed bytes moved in {@code direction}. */
    public long bytes(Direction direction) {
        return outcomes.stream().filter(o -> o.transfer().direction() == direction)
                .mapToLong(TransferOutcome::bytes).sum();
    }

    /** Packed bytes moved both ways. */
    public long bytes() {
        return outcomes.stream().mapToLong(TransferOutcome::bytes).sum();
    }

    /** Bytes moved per second of {@link #elapsed}; 0 when nothing moved. */
    public double bytesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : bytes() / seconds;
    }

    /** The transfers that failed. */
    public List<TransferOutcome> failures() {
        return outcomes.stream().filter(o -> o.status() == Status.FAILED).toList();
    }

    /** Failed transfers plus failed listings. */
    public int failureCount() {
        return failures().size() + listingFailures.size();
    }

    /** Whether everything planned happened or had nothing left to do. */
    public boolean complete() {
        return failureCount() == 0;
    }

    /** The explanation of a refusal of {@code direction}, if the remote refused it. */
    public Optional<String> refusal(Direction direction) {
        return Optional.ofNullable(refusals.get(direction));
    }
}
