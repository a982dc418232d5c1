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
        return request("/", List.of("rustc", "-vV"), List.of("KACHE_DISABLED=1"));
    }

    /** What the server answered a request: the stdout and stderr frames, joined, and the exit code. */
    record Answer(String stdout, String stderr, int exit) {
    }

    /** Sends {@code args} from {@code cwd} with {@code env} (NAME=VALUE) and reads the answer to its exit code. */
    static Answer call(Path socket, String cwd, List<String> args, List<String> env) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request(cwd, args, env)));
            channel.shutdownOutput();
            return answer(channel).orElseThrow(() -> new IOException("the server hung up without an answer"));
        }
    }

    /** The answer on {@code channel}, read to its exit code; empty when the server hangs up before one. */
    static java.util.Optional<Answer> answer(SocketChannel channel) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(Channels.newInputStream(channel));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        while (true) {
            int kind = in.read();
            if (kind == -1) {
                return java.util.Optional.empty();
            }
            if (kind == 'X') {
                return java.util.Optional.of(new Answer(out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8), Integer.reverseBytes(in.readInt())));
            }
            if (kind != 'O' && kind != 'E') {
                throw new IOException("unexpected frame " + kind);
            }
            byte[] chunk = new byte[Integer.reverseBytes(in.readInt())];
            in.readFully(chunk);
            (kind == 'O' ? out : err).writeBytes(chunk);
        }
    }

    /**
     * Sends {@code args} as process {@code pid}'s request and returns the connection, answer unread:
     * the caller plays a client that may go away.
     */
    static SocketChannel send(Path socket, String cwd, List<String> args, List<String> env, long pid)
            throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.write(ByteBuffer.wrap(request(cwd, args, env, pid)));
        channel.shutdownOutput();
        return channel;
    }

    private static byte[] request(String cwd, List<String> args, List<String> env) {
        return request(cwd, args, env, ProcessHandle.current().pid());
    }

    private static byte[] request(String cwd, List<String> args, List<String> env, long pid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ServerRequest.MAGIC);
        str(out, cwd);
        u32(out, args.size());
        args.forEach(a -> str(out, a));
        u32(out, env.size());
        env.forEach(e -> str(out, e));
        u32(out, (int) pid);
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
