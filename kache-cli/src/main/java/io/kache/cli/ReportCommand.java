package io.kache.cli;

import io.kache.core.config.ByteSize;
import io.kache.core.config.DurationValue;
import io.kache.core.config.KacheConfig;
import io.kache.core.journal.BuildEvent;
import io.kache.core.journal.BuildSummary;
import io.kache.core.store.BuildJournal;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code kache report}: what the last build (one cargo process, see {@link io.kache.core.journal.BuildId}) or
 * every build {@code --since} a duration ago did, from the store's build journal: hits, misses,
 * passthroughs by reason, per crate, the time the hits saved, bytes restored, remote gets and
 * puts, errors. {@code --format markdown} is ready to append to {@code $GITHUB_STEP_SUMMARY}.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Show what the last build did (or every build --since DURATION ago): hits, misses,"
                + " passthroughs by reason, per crate, time saved, bytes restored, remote gets and puts, errors.",
            "A build is one cargo process (KACHE_BUILD_ID names one explicitly); the journal keeps "
                + BuildJournal.KEEP_DAYS + " days.",
            "--format markdown can be appended to $GITHUB_STEP_SUMMARY."})
final class ReportCommand extends StoreCommand {

    enum Format { text, json, markdown }

    @Option(names = "--since", paramLabel = "DURATION", description = "Every build since this long ago (e.g. 30m, 2h, 1d)"
            + " instead of the last one.")
    String since;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json or markdown.")
    Format format = Format.text;

    private Duration sinceDuration;

    @Override
    void check() {
        if (since != null) {
            try {
                sinceDuration = DurationValue.parse(since);
            } catch (RuntimeException e) {
                throw new ParameterException(spec.commandLine(), "--since: " + e.getMessage());
            }
        }
    }

    @Override
    void runWithoutStore(KacheConfig config, PrintWriter out) {
        print(List.of(), out);
    }

    @Override
    void run(LocalStore store, KacheConfig config, PrintWriter out) throws IOException {
        long now = System.currentTimeMillis();
        List<BuildEvent> events = store.journal().read(now - (sinceDuration != null ? sinceDuration.toMillis()
                : Duration.ofDays(BuildJournal.KEEP_DAYS).toMillis()));
        print(sinceDuration != null ? events : BuildSummary.lastBuild(events), out);
    }

    private void print(List<BuildEvent> events, PrintWriter out) {
        BuildSummary s = BuildSummary.of(events);
        switch (format) {
            case json -> out.print(json(s));
            case markdown -> out.print(markdown(s));
            default -> out.print(text(s));
        }
    }

    private String scope() {
        return since != null ? "builds of the last " + since : "the last build";
    }

    private String text(BuildSummary s) {
        StringBuilder b = new StringBuilder();
        if (s.calls() == 0) {
            return "kache report: no wrapper calls recorded for " + scope() + "\n";
        }
        b.append("kache report: ").append(scope()).append(" (").append(s.builds().size()).append(" build")
                .append(s.builds().size() == 1 ? "" : "s").append(", ").append(Instant.ofEpochMilli(s.from()))
                .append(" .. ").append(Instant.ofEpochMilli(s.to())).append(")\n");
        b.append(String.format(Locale.ROOT, "hits %d, misses %d (%d stored), passthroughs %d, errors %d%n", s.hits(),
                s.stored() + s.misses(), s.stored(), sum(s.passthroughs()), sum(s.errors())));
        b.append("time saved       ").append(seconds(s.savedMillis())).append(" (compile time the hits recorded)\n");
        b.append("time compiling   ").append(seconds(s.compileMillis())).append('\n');
        b.append("bytes restored   ").append(ByteSize.format(s.bytesRestored())).append('\n');
        b.append("remote           ").append(s.remoteGets()).append(" gets, ").append(s.remotePuts())
                .append(" puts queued\n");
        s.passthroughs().forEach((r, n) -> b.append("passthrough      ").append(r).append(": ").append(n).append('\n'));
        s.errors().forEach((r, n) -> b.append("error            ").append(r).append(": ").append(n).append('\n'));
        b.append("crates:\n");
        // As wide as the longest name (a build script's shows its package), so the columns stay aligned.
        int nameWidth = Math.max(28, s.crates().stream().mapToInt(c -> shownName(c).length()).max().orElse(0));
        for (BuildSummary.Crate c : s.crates()) {
            b.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s %-12s %-20s %8s %10s%n", shownName(c), c.kind(),
                    String.join(", ", c.outcomes()), seconds(c.millis()), ByteSize.format(c.bytes())));
        }
        return b.toString();
    }

    private String markdown(BuildSummary s) {
        StringBuilder b = new StringBuilder("### kache: ").append(scope()).append("\n\n");
        if (s.calls() == 0) {
            return b.append("No wrapper calls recorded.\n").toString();
        }
        b.append("| hits | misses (stored) | passthroughs | errors | time saved | bytes restored | remote gets | remote puts |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        b.append("| ").append(s.hits()).append(" | ").append(s.stored() + s.misses()).append(" (").append(s.stored())
                .append(") | ").append(sum(s.passthroughs())).append(" | ").append(sum(s.errors())).append(" | ")
                .append(seconds(s.savedMillis())).append(" | ").append(ByteSize.format(s.bytesRestored())).append(" | ")
                .append(s.remoteGets()).append(" | ").append(s.remotePuts()).append(" |\n\n");
        if (!s.passthroughs().isEmpty() || !s.errors().isEmpty()) {
            b.append("| not cached | calls |\n|---|---:|\n");
            s.passthroughs().forEach((r, n) -> b.append("| passthrough: ").append(cell(r)).append(" | ").append(n).append(" |\n"));
            s.errors().forEach((r, n) -> b.append("| error: ").append(cell(r)).append(" | ").append(n).append(" |\n"));
            b.append('\n');
        }
        b.append("<details><summary>").append(s.crates().size()).append(" crates</summary>\n\n");
        b.append("| crate | kind | outcome | compile time | restored |\n|---|---|---|---:|---:|\n");
        for (BuildSummary.Crate c : s.crates()) {
            b.append("| ").append(cell(shownName(c))).append(" | ").append(cell(c.kind())).append(" | ")
                    .append(cell(String.join(", ", c.outcomes()))).append(" | ").append(seconds(c.millis()))
                    .append(" | ").append(ByteSize.format(c.bytes())).append(" |\n");
        }
        return b.append("\n</details>\n").toString();
    }

    private String json(BuildSummary s) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"scope\": ").append(JsonText.quote(since != null ? "since " + since : "last build"));
        b.append(", \"builds\": [").append(s.builds().stream().map(JsonText::quote).collect(Collectors.joining(", ")))
                .append(']');
        b.append(", \"from\": ").append(s.calls() == 0 ? "null" : JsonText.quote(Instant.ofEpochMilli(s.from()).toString()));
        b.append(", \"to\": ").append(s.calls() == 0 ? "null" : JsonText.quote(Instant.ofEpochMilli(s.to()).toString()));
        b.append(", \"hits\": ").append(s.hits()).append(", \"misses\": ").append(s.stored() + s.misses())
                .append(", \"stored\": ").append(s.stored());
        b.append(", \"passthroughs\": ").append(counts(s.passthroughs()));
        b.append(", \"errors\": ").append(counts(s.errors()));
        b.append(", \"savedMillis\": ").append(s.savedMillis()).append(", \"compileMillis\": ").append(s.compileMillis())
                .append(", \"bytesRestored\": ").append(s.bytesRestored()).append(", \"remoteGets\": ")
                .append(s.remoteGets()).append(", \"remotePuts\": ").append(s.remotePuts());
        b.append(", \"crates\": [");
        b.append(s.crates().stream().map(c -> "{\"crate\": " + JsonText.quote(c.crate()) + ", \"package\": "
                + c.knownPackage().map(JsonText::quote).orElse("null") + ", \"kind\": "
                + JsonText.quote(c.kind()) + ", \"outcomes\": [" + c.outcomes().stream().map(JsonText::quote)
                .collect(Collectors.joining(", ")) + "], \"millis\": " + c.millis() + ", \"bytes\": " + c.bytes() + "}")
                .collect(Collectors.joining(", ")));
        return b.append("]}\n").toString();
    }

    /** The crate, and its package where the crate's name does not say it: {@code build_script_build (app)}. */
    private static String shownName(BuildSummary.Crate c) {
        return ListCommand.shownName(c.crate(), c.knownPackage());
    }

    private static String counts(Map<String, Integer> m) {
        return m.entrySet().stream().map(e -> JsonText.quote(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static int sum(Map<String, Integer> m) {
        return m.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    /** A markdown table cell: no pipe or line break can break the table. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
