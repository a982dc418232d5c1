package io.kache.core.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One wrapper call as the native client sends it: {@code KACHE1} magic, then the working
 * directory, the arguments (compiler first) and the environment, each as a little-endian 32-bit
 * length and UTF-8 bytes; counts likewise; last the client's pid.
 *
 * @param cwd the client's working directory
 * @param args the compiler and its arguments
 * @param env the client's environment
 * @param clientPid the client process, which holds the descriptors cargo gave the call
 * @param notUtf8 the first field that was not valid UTF-8 ("the environment variable NAME"), or
 *     empty when every field was: such a field (an environment value with a stray byte) reads with
 *     replacement characters, which rustc must never be given in its place (rustc refuses such a
 *     value for {@code env!}; kache made it compile), so such a call is handed back for the client
 *     to run unchanged. Its value is never named: it may be a secret
 */
record ServerRequest(Path cwd, List<String> args, Map<String, String> env, long clientPid, Optional<String> notUtf8) {

    /** Whether every field was valid UTF-8, so that the server may run the call as the client gave it. */
    boolean exact() {
        return notUtf8.isEmpty();
    }

    static final byte[] MAGIC = "KACHE1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FIELD = 1 << 24;
    private static final int MAX_COUNT = 1 << 16;

    /**
     * Reads one request from {@code raw}, which it buffers itself: a request is a few hundred small
     * fields, and a socket's stream unbuffered costs a system call for each byte of every length.
     * The client sends nothing after its request, so reading ahead takes nothing from anyone.
     */
    static ServerRequest read(InputStream raw) throws IOException {
        return new Reader(new DataInputStream(new BufferedInputStream(raw, 16 * 1024))).read();
    }

    /** One request's reading, which tells whether every field decoded exactly. */
    private static final class Reader {
        private final DataInputStream in;
        private CharsetDecoder strict;
        private Optional<String> notUtf8 = Optional.empty();

        Reader(DataInputStream in) {
            this.in = in;
        }

        ServerRequest read() throws IOException {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a kache client");
            }
            Path cwd = Path.of(string("the working directory"));
            if (!cwd.isAbsolute()) {
                throw new IOException("relative working directory");
            }
            int argc = count();
            List<String> args = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                args.add(string(i == 0 ? "the compiler's path" : "an argument"));
            }
            int envc = count();
            Map<String, String> env = new HashMap<>();
            for (int i = 0; i < envc; i++) {
                String kv = string("the environment variable ");
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            int pid = Integer.reverseBytes(in.readInt());
            if (pid <= 0) {
                throw new IOException("bad client pid " + pid);
            }
            return new ServerRequest(cwd, args, env, pid, notUtf8);
        }

        private int count() throws IOException {
            int n = Integer.reverseBytes(in.readInt());
            if (n < 0 || n > MAX_COUNT) {
                throw new IOException("bad count " + n);
            }
            return n;
        }

        /**
         * One field; {@code what} names it should it not be UTF-8, and one that ends in a space (an
         * environment entry) is followed by the entry's name, never by its value.
         */
        private String string(String what) throws IOException {
            int n = Integer.reverseBytes(in.readInt());
            if (n < 0 || n > MAX_FIELD) {
                throw new EOFException("bad length " + n);
            }
            byte[] b = new byte[n];
            in.readFully(b);
            boolean ascii = true;
            for (byte x : b) {
                ascii &= x >= 0;
            }
            if (ascii) {
                return new String(b, StandardCharsets.US_ASCII);
            }
            if (strict == null) {
                strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            try {
                return strict.decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                String decoded = new String(b, StandardCharsets.UTF_8);
                if (notUtf8.isEmpty()) {
                    int eq = decoded.indexOf('=');
                    notUtf8 = Optional.of(!what.endsWith(" ") ? what
                            : eq > 0 ? what + decoded.substring(0, eq) : what.strip());
                }
                return decoded;
            }
        }
    }
}
