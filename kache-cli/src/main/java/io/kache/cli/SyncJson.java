package io.kache.cli;

import io.kache.core.sync.Direction;
import io.kache.core.sync.SyncPlan;
import io.kache.core.sync.SyncResult;
import io.kache.core.sync.Transfer;
import io.kache.core.sync.TransferOutcome;
import io.kache.core.sync.TransferOutcome.Status;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code kache sync --json}: one object with the counts per direction, bytes, throughput,
 * failures, refusals, why the pull stopped at the local store's cap ({@code stopped_at_cap}, null
 * when it did not), notes and every transfer. A dry run has the same shape, each transfer with
 * status {@code planned}.
 */
final class SyncJson {

    private SyncJson() {
    }

    static String plan(SyncPlan plan, List<String> notes, List<String> records) {
        StringBuilder sb = new StringBuilder("{\n  \"dry_run\": true,\n");
        for (Direction d : Direction.values()) {
            int n = (d == Direction.PULL ? plan.pulls() : plan.pushes()).size();
            sb.append("  ").append(JsonText.quote(d.label())).append(": {\"planned\": ").append(n)
                    .append(", \"done\": 0, \"skipped\": 0, \"failed\": 0, \"bytes\": 0},\n");
        }
        sb.append("  \"stopped_at_cap\": null,\n");
        sb.append("  \"listing_failures\": ").append(strings(plan.listingFailures())).append(",\n");
        sb.append("  \"notes\": ").append(strings(notes)).append(",\n");
        sb.append("  \"records\": ").append(strings(records)).append(",\n");
        sb.append("  \"transfers\": [");
        sb.append(plan.all().stream().map(t -> transfer(t, "planned", 0, "")).collect(Collectors.joining(",")));
        return sb.append("\n  ]\n}\n").toString();
    }

    static String result(SyncResult r, List<String> notes, List<String> records) {
        return result(r, r.complete(), notes, records);
    }

    /** {@code complete}: the transfers' and the build record's (a record the remote did not take is a failure). */
    static String result(SyncResult r, boolean complete, List<String> notes, List<String> records) {
        StringBuilder sb = new StringBuilder("{\n  \"dry_run\": false,\n");
        for (Direction d : Direction.values()) {
            long planned = r.outcomes().stream().filter(o -> o.transfer().direction() == d).count();
            sb.append("  ").append(JsonText.quote(d.label())).append(": {\"planned\": ").append(planned)
                    .append(", \"done\": ").append(r.count(d, Status.DONE))
                    .append(", \"skipped\": ").append(r.count(d, Status.SKIPPED))
                    .append(", \"failed\": ").append(r.count(d, Status.FAILED))
                    .append(", \"bytes\": ").append(r.bytes(d)).append("},\n");
        }
        sb.append(String.format(Locale.ROOT, "  \"seconds\": %.3f,%n  \"bytes_per_second\": %.0f,%n",
                r.elapsed().toNanos() / 1e9, r.bytesPerSecond()));
        sb.append("  \"complete\": ").append(complete).append(",\n");
        sb.append("  \"stopped_at_cap\": ").append(JsonText.quoteOrNull(r.stoppedAtCap().orElse(null))).append(",\n");
        sb.append("  \"listing_failures\": ").append(strings(r.listingFailures())).append(",\n");
        sb.append("  \"refusals\": {").append(r.refusals().entrySet().stream()
                .map(e -> JsonText.quote(e.getKey().label()) + ": " + JsonText.quote(e.getValue()))
                .collect(Collectors.joining(", "))).append("},\n");
        sb.append("  \"notes\": ").append(strings(notes)).append(",\n");
        sb.append("  \"records\": ").append(strings(records)).append(",\n");
        sb.append("  \"transfers\": [");
        sb.append(r.outcomes().stream().map(SyncJson::outcome).collect(Collectors.joining(",")));
        return sb.append("\n  ]\n}\n").toString();
    }

    private static String outcome(TransferOutcome o) {
        return transfer(o.transfer(), o.status().name().toLowerCase(Locale.ROOT), o.bytes(), o.detail());
    }

    private static String transfer(Transfer t, String status, long bytes, String detail) {
        return "\n    {\"direction\": " + JsonText.quote(t.direction().label())
                + ", \"crate\": " + JsonText.quote(t.key().crateName())
                + ", \"key\": " + JsonText.quote(t.key().cacheKey())
                + ", \"status\": " + JsonText.quote(status)
                + ", \"bytes\": " + bytes
                + (detail.isEmpty() ? "" : ", \"detail\": " + JsonText.quote(detail)) + "}";
    }

    private static String strings(List<String> values) {
        return values.stream().map(JsonText::quote).collect(Collectors.joining(", ", "[", "]"));
    }
}
