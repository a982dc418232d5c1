package io.kache.s3.aws;

import io.kache.api.ArtifactSource;
import io.kache.api.StoreException;
import io.kache.core.remote.s3.backend.UploadSlice;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads one large artifact in parts. The object appears only when CompleteMultipartUpload
 * succeeds, so a failure leaves nothing visible; the upload is then aborted so its parts are not
 * billed (a bucket lifecycle rule cleans up if the abort itself is refused).
 */
final class AwsMultipartUpload {

    private static final Logger LOG = LoggerFactory.getLogger(AwsMultipartUpload.class);

    private AwsMultipartUpload() {
    }

    static void upload(S3Client s3, String bucket, String key, ArtifactSource source, long partSize,
            AwsErrors errors) throws StoreException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                    .contentType(AwsBucketClient.CONTENT_TYPE)).uploadId();
        } catch (SdkException | AwsCredentialFailure e) {
            throw errors.map(e, "CreateMultipartUpload", key);
        }
        String operation = "UploadPart";
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = source.size();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength(length),
                        RequestBody.fromContentProvider(new SliceContent(new UploadSlice(source, offset, length)),
                                length, AwsBucketClient.CONTENT_TYPE))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            operation = "CompleteMultipartUpload";
            // The response's ETag is not read: some servers return an empty one.
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException | AwsCredentialFailure | UncheckedIOException e) {
            abortQuietly(s3, bucket, key, uploadId);
            throw errors.map(e, operation, key);
        }
    }

    private static void abortQuietly(S3Client s3, String bucket, String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException | AwsCredentialFailure e) {
            // Needs s3:AbortMultipartUpload, which a minimal policy may lack; the upload failed anyway.
            LOG.debug("aborting multipart upload of s3://{}/{} failed: {}", bucket, key, e.toString());
        }
    }
}
