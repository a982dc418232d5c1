package io.kache.core.wrapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Splits a byte stream into lines, each keeping its {@code \n} (the last one may lack it). */
final class LineSplitter {

    private LineSplitter() {
    }

    interface LineConsumer {
        void accept(byte[] line) throws IOException;
    }

    static void forEachLine(InputStream in, LineConsumer consumer) throws IOException {
        byte[] buf = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i + 1 - start);
                    consumer.accept(line.toByteArray());
                    line.reset();
                    start = i + 1;
                }
            }
            line.write(buf, start, n - start);
        }
        if (line.size() > 0) {
            consumer.accept(line.toByteArray());
        }
    }
}
