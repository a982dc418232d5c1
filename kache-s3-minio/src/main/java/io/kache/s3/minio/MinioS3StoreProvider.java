package io.kache.s3.minio;

import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.remote.s3.CredentialResolution;
import io.minio.MinioClient;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;

/**
 * {@code type = "s3"} on the MinIO Java client, id {@code s3-minio}, priority 50: chosen only when
 * named in {@code [cache.remote] client} while the AWS provider is present.
 */
public final class MinioS3StoreProvider implements ArtifactStoreProvider {

    /** The id to name in {@code [cache.remote] client}. */
    public static final String ID = "s3-minio";

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
        return 50;
    }

    /**
     * Builds the client; contacts nothing. A missing bucket or malformed endpoint is a
     * {@link io.kache.api.StoreMisconfiguredException}; a bucket that does not exist is reported by
     * the first call that reaches it.
     */
    @Override
    public ArtifactStore open(RemoteSettings settings) throws StoreException {
        return open(settings, MinioS3Store.DEFAULT_PART_SIZE);
    }

    /** For tests: a smaller part size (at least 5 MiB). */
    static ArtifactStore open(RemoteSettings settings, long partSize) throws StoreException {
        String bucket = settings.requireBucket();
        String endpoint = MinioClientFactory.endpoint(settings).toString();
        OkHttpClient http = MinioClientFactory.http(settings);
        MinioClient client = MinioClientFactory.build(settings, http);
        MinioErrors errors = new MinioErrors(bucket, settings.layout().prefix(), endpoint);
        return new MinioS3Store(client, http, bucket, settings.layout(), errors, new Retrier(settings.timeout()),
                partSize, settings.readOnly());
    }

    @Override
    public Map<String, String> describe(RemoteSettings settings) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("client", ID + " (MinIO Java client)");
        d.put("endpoint", settings.endpoint().map(Object::toString)
                .orElse(String.format(MinioClientFactory.AWS_ENDPOINT_TEMPLATE, settings.region())));
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
}
