package io.kache.core.server;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Multiplexes a call's stdout and stderr onto the client socket as typed frames, each written and
 * flushed whole, so two relay threads never interleave inside a frame and the client sees rustc's
 * lines as they come.
 */
final class FrameStream {

    private final DataOutputStream out;

    FrameStream(DataOutputStream out) {
        this.out = out;
    }

    /** An output stream whose writes become frames of {@code type} ({@code O} or {@code E}). */
    OutputStream channel(char type) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return;
                }
                synchronized (FrameStream.this) {
                    out.writeByte(type);
                    out.writeInt(Integer.reverseBytes(len));
                    out.write(b, off, len);
                    out.flush();
                }
            }
        };
    }
}
