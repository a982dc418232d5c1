package io.kache.s3.aws;

import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.remote.s3.CredentialResolution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code type = "s3"} on the AWS SDK for Java v2, id {@code s3-aws}: the default S3 client
 * (priority 100). Works with AWS S3 and S3-compatible servers (R2, Ceph, MinIO) through path-style
 * requests to the configured endpoint.
 */
public final class AwsS3StoreProvider implements ArtifactStoreProvider {

    /** The id to name in {@code [cache.remote] client}. */
    public static final String ID = "s3-aws";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String type() {
        return "s3";
    }

    @Override
    public int priority() {
        return 100;
    }

    /**
     * Builds the client; contacts nothing. A missing bucket or malformed endpoint is a
     * {@link io.kache.api.StoreMisconfiguredException}; a bucket that does not exist is reported by
     * the first call that reaches it.
     */
    @Override
    public ArtifactStore open(RemoteSettings settings) throws StoreException {
        return open(settings, AwsS3Store.DEFAULT_PART_SIZE, List.of());
    }

    /** For tests: a smaller part size, and interceptors that watch the requests. */
    static ArtifactStore open(RemoteSettings settings, long partSize, List<ExecutionInterceptor> interceptors)
            throws StoreException {
        String bucket = settings.requireBucket();
        S3Client s3 = AwsClientFactory.build(settings, interceptors);
        AwsErrors errors = new AwsErrors(bucket, settings.layout().prefix(), endpoint(settings));
        return new AwsS3Store(s3, bucket, settings.layout(), errors, partSize, settings.readOnly(), settings.timeout());
    }

    @Override
    public Map<String, String> describe(RemoteSettings settings) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("client", ID + " (AWS SDK for Java v2)");
        d.put("endpoint", endpoint(settings));
        d.put("bucket", settings.bucket().orElse("(not set)"));
        d.put("region", settings.region());
        d.put("prefix", settings.layout().prefix());
        d.put("addressing", "path-style");
        d.put("credentials", settings.credentials()
                .map(c -> c.source() + " (access key " + c.accessKeyId() + ")")
                .orElse(CredentialResolution.INSTANCE_ROLE_SOURCE));
        settings.profile().ifPresent(p -> d.put("profile", p));
        d.put("read_only", Boolean.toString(settings.readOnly()));
        d.put("timeout", settings.timeout().toMillis() + " ms");
        return d;
    }

    private static String endpoint(RemoteSettings settings) {
        return settings.endpoint().map(Object::toString)
                .orElse("AWS S3 (" + settings.region() + " regional endpoint)");
    }

}
