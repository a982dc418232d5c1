package io.kache.s3.minio;

import java.io.IOException;
import java.util.Arrays;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Turns an error answer that carries no S3 error body (a proxy's HTML page, an empty body) into a
 * {@link BareErrorAnswer} that keeps its status. The MinIO client reports such an answer as an
 * {@code InvalidResponseException}, whose status is only in its message text: kache read it as an
 * unreachable endpoint, retried it, and a proxy's {@code 413} for one entry's body said "cannot
 * reach". HEAD answers never have a body; the client reads their status itself.
 */
final class BareErrorAnswers implements Interceptor {

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.code() < 400 || chain.request().method().equals("HEAD") || hasS3ErrorBody(response)) {
            return response;
        }
        int status = response.code();
        response.close();
        throw new BareErrorAnswer(status);
    }

    /** What the MinIO client parses: an {@code application/xml} body that is not empty. */
    private static boolean hasS3ErrorBody(Response response) throws IOException {
        String type = response.header("Content-Type");
        return type != null && Arrays.stream(type.split(";")).map(String::strip).anyMatch("application/xml"::equals)
                && response.peekBody(1).contentLength() > 0;
    }

    /** An error answer without an S3 error body: only its HTTP status tells what happened. */
    static final class BareErrorAnswer extends IOException {

        private static final long serialVersionUID = 1L;

        private final int status;

        BareErrorAnswer(int status) {
            super("HTTP " + status + " without an S3 error body");
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
