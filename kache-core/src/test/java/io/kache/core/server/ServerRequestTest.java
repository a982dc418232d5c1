package io.kache.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request format of kache-client.c, written here the way the client writes it. */
class ServerRequestTest {

    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Writer u32(int v) {
            out.write(v & 0xff);
            out.write((v >>> 8) & 0xff);
            out.write((v >>> 16) & 0xff);
            out.write((v >>> 24) & 0xff);
            return this;
        }

        Writer str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u32(b.length).raw(b);
        }

        ServerRequest read() throws IOException {
            return ServerRequest.read(new ByteArrayInputStream(out.toByteArray()));
        }
    }

    private static Writer valid() {
        return new Writer().raw(ServerRequest.MAGIC).str("/work/ws").u32(2).str("/usr/bin/rustc")
                .str("--crate-name é x").u32(2).str("CARGO_MAKEFLAGS=-j --jobserver-auth=6,7").str("EMPTY=")
                .u32(4242);
    }

    @Test
    void decodesWhatTheClientSends() throws IOException {
        ServerRequest r = valid().read();
        assertEquals(Path.of("/work/ws"), r.cwd());
        assertEquals(List.of("/usr/bin/rustc", "--crate-name é x"), r.args());
        assertEquals(Map.of("CARGO_MAKEFLAGS", "-j --jobserver-auth=6,7", "EMPTY", ""), r.env());
        assertEquals(4242, r.clientPid());
        assertTrue(r.exact(), "valid UTF-8, é included");
    }

    /** A stray byte in a variable: the request says it was not read exactly, and the call is handed back. */
    @Test
    void aFieldThatIsNotUtf8IsToldApart() throws IOException {
        byte[] stray = "GREET=ab\u00ffcd".getBytes(StandardCharsets.ISO_8859_1);
        ServerRequest r = new Writer().raw(ServerRequest.MAGIC).str("/work/ws").u32(1).str("/usr/bin/rustc")
                .u32(1).u32(stray.length).raw(stray).u32(7).read();
        assertFalse(r.exact());
        assertEquals("ab\ufffdcd", r.env().get("GREET"));
        assertEquals(Optional.of("the environment variable GREET"), r.notUtf8(), "named, its value never");
    }

    /** The first field that is not UTF-8 is the one named, whichever kind it is. */
    @Test
    void theFirstFieldThatIsNotUtf8IsNamed() throws IOException {
        byte[] arg = "--cfg=caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        byte[] stray = "GREET=ab\u00ffcd".getBytes(StandardCharsets.ISO_8859_1);
        ServerRequest r = new Writer().raw(ServerRequest.MAGIC).str("/work/ws").u32(2).str("/usr/bin/rustc")
                .u32(arg.length).raw(arg).u32(1).u32(stray.length).raw(stray).u32(7).read();
        assertEquals(Optional.of("an argument"), r.notUtf8());
        assertEquals(Optional.empty(), valid().read().notUtf8());
    }

    @Test
    void refusesAnythingElse() {
        assertThrows(IOException.class, () -> new Writer().raw("HTTP/1".getBytes(StandardCharsets.US_ASCII)).read());
        assertThrows(IOException.class, () -> new Writer().raw(ServerRequest.MAGIC).str("relative/dir").read());
        assertThrows(IOException.class, () -> new Writer().raw(ServerRequest.MAGIC).str("/w").u32(-1).read());
        assertThrows(IOException.class, () -> new Writer().raw(ServerRequest.MAGIC).str("/w").u32(1).u32(1 << 30)
                .read());
        assertThrows(IOException.class, () -> new Writer().raw(ServerRequest.MAGIC).str("/w").u32(0).u32(0).u32(0)
                .read());
        byte[] whole = valid().out.toByteArray();
        assertThrows(IOException.class, () -> ServerRequest.read(new ByteArrayInputStream(whole, 0, whole.length - 2)));
    }

    /** A socket's stream costs a system call per read: a request of 150 fields must not cost 600. */
    @Test
    void readsARequestInAFewLargeReadsNotOnePerField() throws IOException {
        Writer w = new Writer().raw(ServerRequest.MAGIC).str("/work/ws").u32(40);
        for (int i = 0; i < 40; i++) {
            w.str("--arg-" + i);
        }
        w.u32(110);
        for (int i = 0; i < 110; i++) {
            w.str("VAR_" + i + "=value " + i);
        }
        w.u32(4242);
        int[] reads = {0};
        ByteArrayInputStream bytes = new ByteArrayInputStream(w.out.toByteArray());
        java.io.InputStream socketLike = new java.io.InputStream() {
            @Override
            public int read() {
                reads[0]++;
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                reads[0]++;
                return bytes.read(b, off, len);
            }
        };
        ServerRequest r = ServerRequest.read(socketLike);
        assertEquals(40, r.args().size());
        assertEquals(110, r.env().size());
        assertTrue(reads[0] <= 3, "reads from the socket: " + reads[0]);
    }
}
