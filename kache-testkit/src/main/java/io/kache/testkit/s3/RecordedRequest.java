package io.kache.testkit.s3;

import java.util.Objects;

/**
 * One request as the test server's storage saw it: the S3 method, the path ({@code /bucket/key})
 * and the query that selects the operation ({@code list-type=2&prefix=artifacts/serde/},
 * {@code uploadId=…&partNumber=2}). Requests refused before reaching storage (bad signature) are
 * not recorded.
 */
public record RecordedRequest(String method, String path, String query) {

    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
    }

    /** Whether this is a ListObjects call. */
    public boolean isList() {
        return method.equals("GET") && query.startsWith("list-type=2");
    }

    /** The value of one query parameter, or {@code null}. */
    public String queryParameter(String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return method + " " + path + (query.isEmpty() ? "" : "?" + query);
    }
}
