package io.kache.s3.aws;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.remote.s3.backend.AbstractS3StoreProvider;
import io.kache.core.remote.s3.backend.BucketClient;
import io.kache.core.remote.s3.backend.DirectReads;
import io.kache.core.remote.s3.backend.S3ArtifactStore;
import io.kache.core.remote.s3.backend.S3Endpoint;
import io.kache.core.remote.s3.backend.S3ErrorMapper;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code type = "s3"} on the AWS SDK for Java v2, id {@code s3-aws}: the default S3 client
 * (priority 100). Works with AWS S3 and S3-compatible servers (R2, Ceph, MinIO) through path-style
 * requests to the configured endpoint.
 */
public final class AwsS3StoreProvider extends AbstractS3StoreProvider {

    /** The id to name in {@code [cache.remote] client}. */
    public static final String ID = "s3-aws";

    public AwsS3StoreProvider() {
        super(ID, 100, "AWS SDK for Java v2");
    }

    @Override
    public ArtifactStore open(RemoteSettings settings) throws StoreException {
        String bucket = settings.requireBucket();
        S3ErrorMapper errors = errorMapper(bucket, settings);
        // Direct reads need no SDK: the SDK's client is built by the first write or listing.
        UrlConnectionKeepAlive.reserve();
        DirectReads.LibraryClient sdk = () -> sdkClient(settings, AwsBucketClient.DEFAULT_PART_SIZE, List.of(), errors);
        Optional<BucketClient> direct = SdkOnlyRouting.reason(settings).isPresent() ? Optional.empty()
                : DirectReads.of(settings, errors, sdk);
        return new S3ArtifactStore("AwsS3Store", direct.isPresent() ? direct.get() : sdk.open(), settings.layout(),
                errors, settings.readOnly());
    }

    /** Every request through the SDK; for tests, a smaller part size and interceptors that watch the requests. */
    ArtifactStore open(RemoteSettings settings, long partSize, List<ExecutionInterceptor> interceptors)
            throws StoreException {
        S3ErrorMapper errors = errorMapper(settings.requireBucket(), settings);
        return new S3ArtifactStore("AwsS3Store", sdkClient(settings, partSize, interceptors, errors), settings.layout(),
                errors, settings.readOnly());
    }

    private static BucketClient sdkClient(RemoteSettings settings, long partSize, List<ExecutionInterceptor> interceptors,
            S3ErrorMapper errors) throws StoreException {
        S3Client s3 = AwsClientFactory.build(settings, interceptors);
        return new AwsBucketClient(s3, settings.requireBucket(), new AwsErrors(errors), partSize, settings.timeout());
    }

    @Override
    protected String requests(RemoteSettings settings) {
        Optional<String> sdkOnly = SdkOnlyRouting.reason(settings);
        if (sdkOnly.isPresent()) {
            return super.requests(settings) + " (" + sdkOnly.get() + " is set)";
        }
        return DirectReads.applies(settings)
                ? "GET and HEAD signed and sent by kache; PUT, LIST and DELETE through the AWS SDK for Java v2"
                : super.requests(settings);
    }

    @Override
    protected String endpointName(RemoteSettings settings) {
        return settings.endpoint().map(S3Endpoint::shown)
                .orElse("AWS S3 (" + settings.region() + " regional endpoint)");
    }
}
