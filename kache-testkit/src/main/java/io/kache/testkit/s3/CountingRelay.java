package io.kache.testkit.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback in front of a server, counting the connections clients open through it:
 * what a client does with its connections is seen from outside the client, as a server sees it.
 * Bytes pass unchanged, both ways.
 */
public final class CountingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private CountingRelay(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        this.acceptor = new Thread(this::acceptAll, "counting-relay-" + listener.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** A relay to {@code server}'s host and port, listening on a free port of 127.0.0.1. */
    public static CountingRelay to(URI server) throws IOException {
        ServerSocket listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        CountingRelay relay = new CountingRelay(listener, new InetSocketAddress(server.getHost(), server.getPort()));
        relay.acceptor.start();
        return relay;
    }

    /** The relay's address, in place of the server's: same scheme, this host and port. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Connections clients opened through the relay so far. */
    public int connections() {
        return accepted.get();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // Closed, or the server refused: the client sees its connection drop.
            }
        }
    }

    /** Copies one direction until it ends, then half-closes the other side as TCP would. */
    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(to);
            }
        }, "counting-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already gone.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(CountingRelay::closeQuietly);
    }
}
