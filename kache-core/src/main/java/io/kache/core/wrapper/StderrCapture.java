package io.kache.core.wrapper;

import io.kache.core.rustc.PathSentinels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A compile's stderr, split into rustc's JSON artifact notifications and everything else
 * (diagnostics), both normalized to sentinels for storage.
 *
 * @param notifications normalized notification lines, each ending in {@code \n}
 * @param diagnostics normalized remaining output
 */
record StderrCapture(String notifications, String diagnostics) {

    private static final String ARTIFACT_PREFIX = "{\"$message_type\":\"artifact\"";

    static StderrCapture split(byte[] stderr, PathSentinels sentinels) {
        StringBuilder notes = new StringBuilder();
        StringBuilder diags = new StringBuilder();
        String text = new String(stderr, StandardCharsets.UTF_8);
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl + 1;
            String line = text.substring(pos, end);
            (line.startsWith(ARTIFACT_PREFIX) ? notes : diags).append(sentinels.normalize(line));
            pos = end;
        }
        return new StderrCapture(notes.toString(), diags.toString());
    }

    /** The {@code "artifact"} paths of the notifications, still normalized. */
    List<String> artifactPaths() {
        List<String> out = new ArrayList<>();
        for (String line : notifications.split("\n")) {
            int k = line.indexOf("\"artifact\":\"");
            if (k < 0) {
                continue;
            }
            int start = k + "\"artifact\":\"".length();
            int end = line.indexOf('"', start);
            if (end > start) {
                out.add(line.substring(start, end));
            }
        }
        return out;
    }
}
