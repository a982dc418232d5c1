package io.kache.cli.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What another local user can do with the socket name of someone's kache server: listen there,
 * take whatever a client sends and answer as the server would, with a compiler output of its own.
 * {@code ForeignListener SOCKET} says {@code listening} once it takes connections, then
 * {@code received N bytes} for each; run as another user by {@link ServerCargoIT}.
 */
final class ForeignListener {

    static final String FORGED = "rustc 0.0.0-forged\n";

    private ForeignListener() {
    }

    public static void main(String[] args) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(Path.of(args[0])));
            say("listening");
            while (true) {
                try (SocketChannel client = server.accept()) {
                    // The client shuts its side down after its request: all of it, then the answer.
                    byte[] request = Channels.newInputStream(client).readAllBytes();
                    say("received " + request.length + " bytes");
                    answer(Channels.newOutputStream(client));
                } catch (IOException gone) {
                    // A client that left without reading: the next one.
                }
            }
        }
    }

    /** An O frame with the forged output and an X frame with exit code 0, as the server frames them. */
    private static void answer(OutputStream out) throws IOException {
        byte[] text = FORGED.getBytes(StandardCharsets.UTF_8);
        out.write(new byte[] {'O', (byte) text.length, 0, 0, 0});
        out.write(text);
        out.write(new byte[] {'X', 0, 0, 0, 0});
        out.flush();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
