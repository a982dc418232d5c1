package io.kache.testkit.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a test S3 server that answers the next N requests with
 * {@code 503 SlowDown}, as a throttling S3 does, may trickle the bodies of GETs, may refuse the
 * uploads of one object as a proxy's body-size limit does, and passes everything else through byte
 * for byte
 * (so SigV4 signatures over the Host header stay valid). A throttled request's connection is
 * closed after the answer; a passed-through connection is forwarded raw for its whole life. It
 * counts the connections clients open through it: what a client does with its connections, seen
 * as a server sees it.
 */
public final class FaultProxy implements AutoCloseable {

    private static final String SLOW_DOWN_BODY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown"
            + "</Code><Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>";

    private static final String TOO_LARGE_BODY = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>"
            + "\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
            + "</body>\r\n</html>\r\n";

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicInteger budget = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;
    private volatile long trickleNanos;
    private final AtomicInteger trickling = new AtomicInteger();
    private volatile String refusedObject;
    private final AtomicInteger tooLarge = new AtomicInteger();

    private FaultProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** A proxy to {@code target}'s host and port, listening on a free port of 127.0.0.1. */
    public static FaultProxy start(URI target) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultProxy proxy = new FaultProxy(listener, new InetSocketAddress(target.getHost(), target.getPort()));
        daemon("fault-proxy-accept", proxy::acceptLoop).start();
        return proxy;
    }

    /** The proxy's address, to use in place of the server's. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** The next {@code n} requests get {@code 503 SlowDown}. */
    public void throttleNext(int n) {
        budget.set(n);
    }

    /**
     * From now on the answer to a GET of an object (not a listing) comes with its head at once and its
     * body one byte every {@code interval}: a server or network that trickles. Meanwhile each
     * connection carries one request (the server is asked to close it after answering), so a request
     * on a connection kept alive from before is the only one not seen. {@link Duration#ZERO} ends it.
     */
    public void trickleBodies(Duration interval) {
        trickleNanos = interval.toNanos();
    }

    /**
     * From now on a PUT of {@code objectName} (a whole object or a part of it) is answered as nginx's
     * {@code client_max_body_size} answers: {@code 413} with an HTML page, no S3 error body, and
     * the connection closed. Meanwhile each connection carries one request, as while trickling, so
     * that no PUT passes on a connection kept alive from before.
     */
    public void refuseUploadsOf(String objectName) {
        refusedObject = objectName;
    }

    /** How many uploads were answered with 413. */
    public int refusedAsTooLarge() {
        return tooLarge.get();
    }

    /** Bodies being trickled right now: a client that gave up on one has closed its connection. */
    public int trickling() {
        return trickling.get();
    }

    /** How many requests were answered with 503. */
    public int throttled() {
        return throttled.get();
    }

    /** Connections clients opened through the proxy so far. */
    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                daemon("fault-proxy-conn", () -> serve(client)).start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            if (budget.getAndUpdate(b -> Math.max(0, b - 1)) > 0) {
                throttled.incrementAndGet();
                String h = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                if (!h.contains("expect: 100-continue")) {
                    in.skipNBytes(contentLength(h));
                }
                byte[] body = SLOW_DOWN_BODY.getBytes(StandardCharsets.UTF_8);
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return;
            }
            String requestLine = new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            String refused = refusedObject;
            if (refused != null && requestLine.startsWith("PUT ") && requestLine.contains("/" + refused)) {
                tooLarge.incrementAndGet();
                refuseAsTooLarge(head, in, client.getOutputStream());
                lingerUntilClosed(client);
                return;
            }
            long trickle = trickleNanos;
            boolean trickled = trickle > 0 && requestLine.startsWith("GET ") && !requestLine.contains("list-type");
            if (trickle > 0 || refused != null) {
                // One request per connection while trickling or refusing, so that every GET and PUT is seen
                // here, also one a client would have sent on a connection kept alive. Connection is not signed.
                head = closingAfterAnswer(head);
            }
            try (Socket server = new Socket(target.getAddress(), target.getPort())) {
                server.getOutputStream().write(head);
                Thread up = daemon("fault-proxy-up", () -> pump(in, server));
                up.start();
                if (trickled) {
                    trickle(server.getInputStream(), client, trickle);
                } else {
                    pump(server.getInputStream(), client);
                }
                up.join();
            }
        } catch (IOException | InterruptedException e) {
            // A connection the client or server dropped; the client sees it as a network failure.
        }
    }

    /**
     * A proxy's 413. A body sent without {@code Expect: 100-continue} is read first, as nginx
     * reads it before closing: a client still writing when the connection closes sees a broken
     * pipe, not the answer.
     */
    private static void refuseAsTooLarge(byte[] head, InputStream in, OutputStream out) throws IOException {
        String h = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (!h.contains("expect: 100-continue")) {
            in.skipNBytes(contentLength(h));
        }
        byte[] body = TOO_LARGE_BODY.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 413 Request Entity Too Large\r\nServer: nginx\r\nContent-Type: text/html\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /**
     * Half-closes and reads until the client closes too, as nginx's lingering close does: a client
     * whose unread request bytes met a plain close would get a reset instead of the answer.
     */
    private static void lingerUntilClosed(Socket client) throws IOException {
        client.shutdownOutput();
        client.setSoTimeout(5000);
        client.getInputStream().transferTo(OutputStream.nullOutputStream());
    }

    private static void pump(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // The other side closed.
        }
    }

    /** The request head with {@code Connection: close} in place of any Connection header. */
    private static byte[] closingAfterAnswer(byte[] head) {
        StringBuilder rewritten = new StringBuilder();
        for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (!line.isEmpty() && !line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                rewritten.append(line).append("\r\n");
            }
        }
        rewritten.append("Connection: close\r\n\r\n");
        return rewritten.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The answer's head at once, then its body a byte at a time, until either side closes. */
    private void trickle(InputStream from, Socket to, long intervalNanos) throws InterruptedException {
        trickling.incrementAndGet();
        try {
            OutputStream out = to.getOutputStream();
            byte[] head = readHead(from);
            if (head == null) {
                return;
            }
            out.write(head);
            out.flush();
            int b;
            while ((b = from.read()) >= 0) {
                Thread.sleep(intervalNanos / 1_000_000, (int) (intervalNanos % 1_000_000));
                out.write(b);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // The client gave up on the body and closed: what a trickle should make it do.
        } finally {
            trickling.decrementAndGet();
            try {
                from.close();
            } catch (IOException e) {
                // Closing the server's side anyway.
            }
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        return 0;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
    }
}
