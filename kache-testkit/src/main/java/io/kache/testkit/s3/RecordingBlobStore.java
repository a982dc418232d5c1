package io.kache.testkit.s3;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Records the calls kache's backends make, as S3 requests, before passing them on, and fails the
 * next few on request. S3Proxy has no HTTP request hook, so both happen at the storage boundary;
 * every call a backend makes maps to exactly one storage call, so nothing tests assert on is lost.
 */
final class RecordingBlobStore extends ForwardingBlobStore {

    private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final RequestGate gate = new RequestGate();
    private volatile long latencyNanos;
    private volatile boolean repeatListings;

    RecordingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    void clear() {
        requests.clear();
    }

    /** Answers the next {@code count} requests with {@code 500 InternalError}, a retryable failure. */
    void failNext(int count) {
        failures.set(count);
    }

    /** Every later request waits {@code latency} before it is served: a network's round trip, for benchmarks. */
    void delayEach(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    /**
     * Every later listing answers as if it were the first page, truncated, with the continuation
     * token {@value #REPEATED_TOKEN}: a broken server or proxy whose listing never ends.
     */
    void repeatListings(boolean on) {
        repeatListings = on;
    }

    static final String REPEATED_TOKEN = "loop";

    RequestGate gate() {
        return gate;
    }

    private void record(String method, String bucket, String key, String query) {
        requests.add(new RecordedRequest(method, "/" + bucket + (key == null ? "" : "/" + key), query));
        gate.pass();
        long latency = latencyNanos;
        if (latency > 0) {
            try {
                Thread.sleep(latency / 1_000_000, (int) (latency % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR);
        }
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        StringJoiner query = new StringJoiner("&");
        query.add("list-type=2");
        if (request.prefix() != null) {
            query.add("prefix=" + request.prefix());
        }
        if (request.delimiter() != null) {
            query.add("delimiter=" + request.delimiter());
        }
        if (request.continuationToken() != null) {
            query.add("continuation-token=" + request.continuationToken());
        }
        if (request.startAfter() != null) {
            query.add("start-after=" + request.startAfter());
        }
        if (request.maxKeys() != null) {
            query.add("max-keys=" + request.maxKeys());
        }
        record("GET", request.bucket(), null, query.toString());
        if (repeatListings) {
            ListObjectsV2Response first = super.list(request.toBuilder().continuationToken(null).build());
            return first.toBuilder().isTruncated(true).nextContinuationToken(REPEATED_TOKEN).build();
        }
        return super.list(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        record("GET", request.bucket(), request.key(), request.range() == null ? "" : "range=" + request.range());
        return super.getBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        record("HEAD", request.bucket(), request.key(), "");
        return super.blobMetadata(request);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        record("PUT", request.bucket(), request.key(), "");
        return super.putBlob(request, content);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        record("POST", request.bucket(), request.key(), "uploads");
        return super.initiateMultipartUpload(request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
            InputStream content) {
        record("PUT", upload.containerName(), upload.blobName(),
                "partNumber=" + request.partNumber() + "&uploadId=" + upload.id());
        return super.uploadMultipartPart(upload, request, content);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
            CompleteMultipartUploadRequest request) {
        record("POST", upload.containerName(), upload.blobName(), "uploadId=" + upload.id());
        return super.completeMultipartUpload(upload, request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        record("DELETE", upload.containerName(), upload.blobName(), "uploadId=" + upload.id());
        super.abortMultipartUpload(upload);
    }
}
