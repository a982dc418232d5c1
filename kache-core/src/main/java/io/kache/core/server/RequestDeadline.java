package io.kache.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hangs up on a connection whose request has not all arrived in time. The native client writes its
 * whole request at once, right after connecting, and then shuts its side down: a request takes
 * milliseconds. A process that connects and sends nothing, or a trickle, would otherwise hold a
 * worker for ever, and with it the server, which never idles out while a call is in progress.
 * A socket channel has no read timeout, so the deadline closes the channel: the read blocked on it
 * fails, and the connection ends as a broken request does (a client still there runs the call in a
 * JVM of its own).
 */
final class RequestDeadline {

    /** Generous for a request written in one go, even on a machine under load. */
    static final Duration WITHIN = Duration.ofSeconds(5);

    private RequestDeadline() {
    }

    /**
     * Reads the request {@code in} carries from {@code channel}, closing the channel if it has not
     * all come within {@link #WITHIN} of now.
     *
     * @throws IOException if the request is broken or late (the channel is then closed)
     */
    static ServerRequest read(SocketChannel channel, InputStream in) throws IOException {
        ScheduledFuture<?> hangUp = ServerTimer.TIMER.schedule(() -> close(channel), WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        ServerRequest request;
        try {
            request = ServerRequest.read(in);
        } catch (IOException | RuntimeException e) {
            hangUp.cancel(false);
            throw e;
        }
        if (!hangUp.cancel(false)) {
            // Closed, or being closed, as the last bytes came: nothing can be answered on it.
            throw new IOException("the request came after its deadline");
        }
        return request;
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing only ends the wait.
        }
    }
}
