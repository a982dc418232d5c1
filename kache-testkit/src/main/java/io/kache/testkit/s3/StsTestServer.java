package io.kache.testkit.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for AWS STS on loopback: answers {@code AssumeRole} and {@code AssumeRoleWithWebIdentity}
 * (the Query protocol, form-encoded POST, XML answer) with one fixed set of temporary credentials,
 * typically an {@link S3TestServer}'s key pair, and records each request. It checks no signature
 * (AssumeRoleWithWebIdentity is unsigned anyway); a test reads {@link Request#authorization()} to see
 * which key signed an AssumeRole.
 */
public final class StsTestServer implements AutoCloseable {

    /** One request as STS received it. */
    public record Request(String action, Map<String, String> parameters, String authorization) {
    }

    private final HttpServer http;
    private final String accessKey;
    private final String secretKey;
    private final String sessionToken;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private StsTestServer(String accessKey, String secretKey, String sessionToken) throws IOException {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.sessionToken = sessionToken;
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
    }

    /** Starts a server that hands out this key pair and session token. */
    public static StsTestServer start(String accessKey, String secretKey, String sessionToken) throws IOException {
        StsTestServer server = new StsTestServer(accessKey, secretKey, sessionToken);
        server.http.start();
        return server;
    }

    /** {@code http://127.0.0.1:<port>/}, for {@code AWS_ENDPOINT_URL_STS}. */
    public URI endpoint() {
        return URI.create("http://" + http.getAddress().getAddress().getHostAddress() + ":" + http.getAddress().getPort()
                + "/");
    }

    /** Every request so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = form(body);
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                params.putAll(form(query));
            }
            String action = params.getOrDefault("Action", "");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(action, Map.copyOf(params), authorization == null ? "" : authorization));
            if (!action.equals("AssumeRole") && !action.equals("AssumeRoleWithWebIdentity")) {
                reply(exchange, 400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
                        + "<Message>not served here</Message></Error><RequestId>1</RequestId></ErrorResponse>");
                return;
            }
            String expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
            reply(exchange, 200, "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                    + "<" + action + "Result><Credentials>"
                    + "<AccessKeyId>" + accessKey + "</AccessKeyId>"
                    + "<SecretAccessKey>" + secretKey + "</SecretAccessKey>"
                    + "<SessionToken>" + sessionToken + "</SessionToken>"
                    + "<Expiration>" + expiration + "</Expiration>"
                    + "</Credentials><AssumedRoleUser><AssumedRoleId>AROA:kache</AssumedRoleId>"
                    + "<Arn>" + params.getOrDefault("RoleArn", "") + "</Arn></AssumedRoleUser>"
                    + "</" + action + "Result><ResponseMetadata><RequestId>sts-test</RequestId></ResponseMetadata>"
                    + "</" + action + "Response>");
        }
    }

    private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
