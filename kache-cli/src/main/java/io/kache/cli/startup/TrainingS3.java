package io.kache.cli.startup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of S3 on loopback for {@link StartupTraining} to run kache's remote paths (open a
 * client, PUT, HEAD, GET, a missing key) so that the start-up archive holds the S3 client's classes:
 * without them a fresh server spent over a second loading the SDK before its first remote request.
 * Objects are kept in memory by path; signatures are not checked; no listing, no multipart. Only
 * java.base: the release archive's trimmed runtime trains through it too. Never used outside training.
 */
final class TrainingS3 implements AutoCloseable {

    private final ServerSocket socket;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    TrainingS3() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "kache-training-s3");
        t.setDaemon(true);
        t.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> serve(s), "kache-training-s3-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Serves one keep-alive connection until the client closes it. */
    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String[] parts = requestLine.split(" ");
                long length = 0;
                boolean continueExpected = false;
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    int colon = header.indexOf(':');
                    String name = header.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).trim();
                    if (name.equals("content-length")) {
                        length = Long.parseLong(value);
                    } else if (name.equals("expect") && value.equalsIgnoreCase("100-continue")) {
                        continueExpected = true;
                    }
                }
                if (continueExpected) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                byte[] body = in.readNBytes((int) length);
                String path = URI.create(parts[1]).getPath();
                answer(out, parts[0], path, body);
            }
        } catch (IOException | RuntimeException e) {
            // Training only: a broken request costs that request.
        }
    }

    private void answer(OutputStream out, String method, String path, byte[] body) throws IOException {
        switch (method) {
            case "PUT" -> {
                objects.put(path, body);
                respond(out, 200, "ETag: \"training\"\r\n", new byte[0], false);
            }
            case "DELETE" -> {
                objects.remove(path);
                respond(out, 204, "", new byte[0], false);
            }
            case "GET", "HEAD" -> {
                byte[] object = objects.get(path);
                if (object == null) {
                    byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                            + "<Message>The specified key does not exist.</Message></Error>")
                            .getBytes(StandardCharsets.UTF_8);
                    respond(out, 404, "Content-Type: application/xml\r\n", error, method.equals("HEAD"));
                } else {
                    respond(out, 200, "Content-Type: application/octet-stream\r\nETag: \"training\"\r\n", object,
                            method.equals("HEAD"));
                }
            }
            default -> respond(out, 501, "", new byte[0], false);
        }
    }

    private static void respond(OutputStream out, int status, String headers, byte[] body, boolean headOnly)
            throws IOException {
        String head = "HTTP/1.1 " + status + " " + (status < 300 ? "OK" : "Error") + "\r\n" + headers
                + "Content-Length: " + body.length + "\r\nx-amz-request-id: training\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        if (!headOnly) {
            out.write(body);
        }
        out.flush();
    }

    /** One CRLF-ended line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
