package io.kache.testkit.s3;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An endpoint on loopback that accepts connections and never answers: a remote that hangs. It
 * reads and discards what clients send, so a request body never stalls on a full buffer; only the
 * answer never comes. {@link #close()} closes every connection.
 *
 * <pre>{@code
 * try (SilentServer silent = SilentServer.start()) {
 *     // point a client at silent.endpoint(): every request waits out the client's timeout
 * }
 * }</pre>
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private SilentServer(ServerSocket listener) {
        this.listener = listener;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static SilentServer start() throws IOException {
        SilentServer server = new SilentServer(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
        daemon("silent-server-accept", server::acceptLoop).start();
        return server;
    }

    /** {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Connections clients opened so far. */
    public int connections() {
        return accepted.size();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.add(client);
                daemon("silent-server-conn", () -> drain(client)).start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void drain(Socket client) {
        byte[] buf = new byte[8192];
        try (InputStream in = client.getInputStream()) {
            while (in.read(buf) >= 0) {
                // Read, never answered.
            }
        } catch (IOException e) {
            // Closed by the client or by close().
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        for (Socket s : accepted) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }

    @Override
    public String toString() {
        return "SilentServer[" + endpoint() + "]";
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
