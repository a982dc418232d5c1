package io.kache.s3.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.testkit.TestKeys;
import io.kache.testkit.s3.S3TestServer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkInternalExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Pins the client settings S3-compatible servers depend on, by the requests actually sent. S3Proxy
 * accepts the SDK's defaults too, so only these assertions catch a regression.
 */
class AwsClientSettingsTest {

    @TempDir
    Path dir;

    @Test
    void requestsCarryNoOptionalChecksumsSendPlainBodiesAndUsePathStyle() throws Exception {
        List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();
        List<Object> modes = new CopyOnWriteArrayList<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.add(context.httpRequest());
                // Response validation leaves no trace in a GET's headers, so read the resolved setting.
                modes.add(attributes.getAttribute(SdkInternalExecutionAttribute.REQUEST_CHECKSUM_CALCULATION));
                modes.add(attributes.getAttribute(SdkInternalExecutionAttribute.RESPONSE_CHECKSUM_VALIDATION));
            }
        };
        try (S3TestServer server = S3TestServer.start(dir, "AKIDPIN", "pin-secret")) {
            server.createBucket("pinned");
            RemoteSettings settings = server.remoteSettings("pinned", "artifacts");
            ArtifactKey key = TestKeys.key("serde", 0);
            try (ArtifactStore store = new AwsS3StoreProvider().open(settings, AwsBucketClient.DEFAULT_PART_SIZE,
                    List.of(capture))) {
                store.store(key, ArtifactSource.ofBytes(new byte[] {1, 2, 3}));
                assertTrue(store.load(key, (in, size) -> in.readAllBytes()));
            }
        }
        assertEquals(List.of("PUT", "GET"), sent.stream().map(r -> r.method().name()).toList());
        // A plain body signed by its hash: no aws-chunked stream a refusing server could cut off mid-way.
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3})),
                sent.get(0).firstMatchingHeader("x-amz-content-sha256").orElseThrow());
        assertEquals(List.of(RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation.WHEN_REQUIRED,
                RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation.WHEN_REQUIRED), modes);
        for (SdkHttpRequest request : sent) {
            Map<String, List<String>> headers = request.headers();
            for (String name : headers.keySet()) {
                String lower = name.toLowerCase();
                assertFalse(lower.startsWith("x-amz-checksum-") || lower.equals("x-amz-trailer")
                        || lower.equals("x-amz-sdk-checksum-algorithm"), "optional checksum header " + name);
            }
            request.firstMatchingHeader("x-amz-content-sha256").ifPresent(value ->
                    assertFalse(value.contains("TRAILER"), "checksum trailer announced: " + value));
            assertEquals("127.0.0.1", request.host(), "path-style keeps the bucket out of the host");
            assertFalse(request.firstMatchingHeader("Content-Encoding").orElse("").contains("aws-chunked"),
                    "aws-chunked body");
            assertTrue(request.encodedPath().startsWith("/pinned/artifacts/serde/"), request.encodedPath());
        }
    }

    @Test
    void multipartPartsAreSentAsPlainBodiesToo() throws Exception {
        List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.add(context.httpRequest());
            }
        };
        long partSize = 5L * 1024 * 1024;
        byte[] content = new byte[(int) partSize + 1];
        try (S3TestServer server = S3TestServer.start(dir, "AKIDPIN", "pin-secret")) {
            server.createBucket("pinned");
            try (ArtifactStore store = new AwsS3StoreProvider().open(server.remoteSettings("pinned", "artifacts"),
                    partSize, List.of(capture))) {
                store.store(TestKeys.key("serde", 1), ArtifactSource.ofBytes(content));
            }
        }
        List<SdkHttpRequest> parts = sent.stream()
                .filter(r -> r.method().name().equals("PUT") && r.firstMatchingRawQueryParameter("partNumber").isPresent())
                .toList();
        assertEquals(2, parts.size(), sent.toString());
        for (SdkHttpRequest part : parts) {
            assertTrue(part.firstMatchingHeader("x-amz-content-sha256").orElseThrow().matches("[0-9a-f]{64}"),
                    part.headers().toString());
        }
    }
}
