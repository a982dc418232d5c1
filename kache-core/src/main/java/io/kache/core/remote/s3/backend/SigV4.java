package io.kache.core.remote.s3.backend;

import io.kache.api.S3Credentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for a request without a body (GET, HEAD) to S3, path-style, with no
 * query string: the only requests {@link DirectReads} signs. Hand-written rather than the SDK's
 * signer because the point of {@link DirectReads} is not to load the SDK at all; {@code
 * SigV4AgainstSdkTest} checks every signature against the SDK's own signer.
 *
 * <p>The signature covers {@code host}, {@code x-amz-content-sha256} (the hash of the empty
 * payload), {@code x-amz-date} and, for temporary credentials, {@code x-amz-security-token}.
 */
public final class SigV4 {

    /** SHA-256 of no bytes, the payload hash of a request without a body. */
    public static final String EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final S3Credentials credentials;
    private final String region;

    public SigV4(S3Credentials credentials, String region) {
        this.credentials = credentials;
        this.region = region;
    }

    /**
     * The headers to send besides {@code Host} (which the HTTP client writes from the URL), in
     * the order to send them, {@code Authorization} last.
     *
     * @param method {@code GET} or {@code HEAD}
     * @param host the {@code Host} header's value: the endpoint's host, and its port unless the
     *     scheme's default
     * @param rawPath the request's path, already URI-encoded as it goes on the wire
     */
    public Map<String, String> sign(String method, String host, String rawPath, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String day = amzDate.substring(0, 8);
        TreeMap<String, String> signed = new TreeMap<>();
        signed.put("host", host);
        signed.put("x-amz-content-sha256", EMPTY_PAYLOAD_SHA256);
        signed.put("x-amz-date", amzDate);
        credentials.sessionToken().ifPresent(t -> signed.put("x-amz-security-token", t));
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v.strip()).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = method + '\n' + rawPath + "\n\n" + canonicalHeaders + '\n' + signedHeaders + '\n'
                + EMPTY_PAYLOAD_SHA256;
        String scope = day + '/' + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + '\n' + scope + '\n' + HEX.formatHex(sha256(canonicalRequest));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, toSign));
        Map<String, String> headers = new LinkedHashMap<>(signed);
        headers.remove("host");
        headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + '/' + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return headers;
    }

    /**
     * {@code name} as it goes in a path: every byte but the unreserved characters and {@code /}
     * percent-encoded, as S3 canonicalises it (encoded once, unlike other services).
     */
    public static String encodePath(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~' || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
