package io.kache.core.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A client of the kache server for tests: sends a call the server declines ({@code KACHE_DISABLED})
 * and tells what came back — {@code M} for "not mine", or {@code closed} when the server closed
 * the connection without answering. Also a program, so a process of another user can be the peer.
 */
final class PeerProbe {

    private PeerProbe() {
    }

    /** {@code PeerProbe SOCKET}: prints what the server answered. */
    public static void main(String[] args) throws IOException {
        System.out.print(ask(Path.of(args[0])));
    }

    static String ask(Path socket) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            int first;
            try {
                channel.write(ByteBuffer.wrap(declinedCall()));
                channel.shutdownOutput();
                first = Channels.newInputStream(channel).read();
            } catch (IOException closedByServer) {
                return "closed";
            }
            return first < 0 ? "closed" : String.valueOf((char) first);
        }
    }

    private static byte[] declinedCall() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ServerRequest.MAGIC);
        str(out, "/");
        List<String> args = List.of("rustc", "-vV");
        u32(out, args.size());
        args.forEach(a -> str(out, a));
        u32(out, 1);
        str(out, "KACHE_DISABLED=1");
        u32(out, (int) ProcessHandle.current().pid());
        return out.toByteArray();
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(out, b.length);
        out.writeBytes(b);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }
}
