package io.kache.testkit.s3;

import java.io.InputStream;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Answers every write with {@code 403 AccessDenied}, as S3 does for a user holding only
 * {@code s3:GetObject} and {@code s3:ListBucket}. S3Proxy's own read-only store answers 501, which
 * no real bucket does, so tests of read-only credentials need this one.
 */
final class DenyWritesBlobStore extends ForwardingBlobStore {

    DenyWritesBlobStore(BlobStore delegate) {
        super(delegate);
    }

    private static S3ProxyException denied() {
        return new S3ProxyException(S3ErrorCode.ACCESS_DENIED);
    }

    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        throw denied();
    }

    @Override
    public void setContainerAccess(String container, BucketCannedACL access) {
        throw denied();
    }

    @Override
    public void deleteBucket(String container) {
        throw denied();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        throw denied();
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        throw denied();
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        throw denied();
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access) {
        throw denied();
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        throw denied();
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
            InputStream content) {
        throw denied();
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
            CompleteMultipartUploadRequest request) {
        throw denied();
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        throw denied();
    }
}
