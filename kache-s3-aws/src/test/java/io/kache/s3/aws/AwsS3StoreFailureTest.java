package io.kache.s3.aws;

import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.testkit.s3.S3FailureContract;
import io.kache.testkit.s3.S3TestServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** The AWS SDK backend against the failures a user meets. */
class AwsS3StoreFailureTest extends S3FailureContract {

    private final AtomicInteger denials = new AtomicInteger();

    @Override
    protected ArtifactStoreProvider provider() {
        return new AwsS3StoreProvider();
    }

    /**
     * Counts 403 answers, not attempts: a stale keep-alive connection to a reused loopback port
     * may cost an extra attempt that never got an answer.
     */
    @Override
    protected ArtifactStore openReader(RemoteSettings settings) throws Exception {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (context.httpResponse().statusCode() == 403) {
                    denials.incrementAndGet();
                }
            }
        };
        return new AwsS3StoreProvider().open(settings, AwsBucketClient.DEFAULT_PART_SIZE, List.of(counter));
    }

    @Override
    protected long refusedWrites(S3TestServer readOnly) {
        return denials.get();
    }
}
