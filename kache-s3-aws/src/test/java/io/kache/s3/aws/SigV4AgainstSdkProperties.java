package io.kache.s3.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.api.S3Credentials;
import io.kache.core.remote.s3.backend.SigV4;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * kache's own SigV4 ({@link SigV4}, for the reads it sends without the SDK) against the SDK's
 * signer, configured as the SDK signs S3: any object name (any characters, encoded once), any
 * endpoint port, any instant, with and without a session token, the same {@code Authorization}.
 */
class SigV4AgainstSdkProperties {

    @Property(tries = 300)
    void signsAsTheSdkDoes(@ForAll("objectNames") String name, @ForAll("endpoints") String endpoint,
            @ForAll("regions") String region, @ForAll @LongRange(min = 1_500_000_000L, max = 2_500_000_000L) long epoch,
            @ForAll boolean get, @ForAll boolean session) {
        Instant now = Instant.ofEpochSecond(epoch);
        S3Credentials credentials = new S3Credentials("AKIDEXAMPLE" + (epoch % 7), "wJalrXUtnFEMI/K7MDENG+bPxRfiCY" + epoch,
                session ? Optional.of("FQoGZXIvYXdzE" + epoch + "//+token=") : Optional.empty(), "test");
        String method = get ? "GET" : "HEAD";
        String rawPath = "/kache-bucket/" + SigV4.encodePath(name);
        URI uri = URI.create(endpoint + rawPath);
        String host = uri.getPort() == -1 || uri.getPort() == (uri.getScheme().equals("https") ? 443 : 80)
                ? uri.getHost() : uri.getHost() + ":" + uri.getPort();

        Map<String, String> ours = new SigV4(credentials, region).sign(method, host, rawPath, now);

        SdkHttpRequest request = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method))
                .putHeader("x-amz-content-sha256", SigV4.EMPTY_PAYLOAD_SHA256).build();
        AwsCredentialsIdentity identity = credentials.sessionToken()
                .<AwsCredentialsIdentity>map(t -> AwsSessionCredentialsIdentity.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), t))
                .orElseGet(() -> AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()));
        SignedRequest sdk = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));

        assertEquals(sdk.request().firstMatchingHeader("Authorization").orElseThrow(), ours.get("Authorization"),
                method + " " + uri);
        assertEquals(sdk.request().firstMatchingHeader("X-Amz-Date").orElseThrow(), ours.get("x-amz-date"));
        assertEquals(credentials.sessionToken(), Optional.ofNullable(ours.get("x-amz-security-token")));
    }

    @Provide
    Arbitrary<String> objectNames() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)
                .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)) && !s.contains("//")
                        && !s.startsWith("/") && s.chars().noneMatch(c -> c < 0x20));
        Arbitrary<String> entries = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-').ofMinLength(1)
                .ofMaxLength(20).map(crate -> "artifacts/" + crate + "/" + "0123456789abcdef".repeat(4) + ".tar.zst");
        return Arbitraries.oneOf(any, entries, Arbitraries.of("ci cache/records/a+b=c/ü.bin", "x~y/(1)!*'@:;,$&.z"));
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of("http://127.0.0.1:9000", "http://localhost", "https://s3.eu-west-1.amazonaws.com",
                "https://minio.example:443", "http://127.0.0.1:80", "https://r2.example.com:8443", "http://[::1]:9000");
    }

    @Provide
    Arbitrary<String> regions() {
        return Arbitraries.of("us-east-1", "eu-central-1", "auto", "garage");
    }
}
