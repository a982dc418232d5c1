package io.kache.core.remote.s3.backend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The S3 error document of an answer read by {@link DirectReads}: {@code <Error><Code>…</Code>
 * <RequestId>…</RequestId></Error>}, read with the JDK's StAX parser, DTDs and external entities
 * off. A body that is absent (HEAD), too long or not such a document leaves the code empty: the
 * status alone then classifies the answer, as the libraries do.
 */
final class S3ErrorBody {

    private static final XMLInputFactory XML = xmlFactory();
    /** What a server's code or request id may hold to be shown: anything else is the server's noise. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._/+=-]{1,128}");

    private S3ErrorBody() {
    }

    /**
     * Reads up to {@code maxBytes} of {@code body} and closes it: a body read to its end leaves the
     * connection to serve the next request.
     *
     * @param requestIdHeader the answer's {@code x-amz-request-id}, preferred to the body's
     * @param body the error stream, or {@code null}
     */
    static S3ErrorResponse read(int status, String requestIdHeader, InputStream body, int maxBytes) {
        byte[] bytes = new byte[0];
        if (body != null) {
            try (body) {
                bytes = body.readNBytes(maxBytes);
            } catch (IOException e) {
                // A body cut off: the status still tells what happened.
            }
        }
        String code = null;
        String requestId = null;
        if (bytes.length > 0) {
            try {
                XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(bytes));
                int depth = 0;
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamReader.START_ELEMENT) {
                        depth++;
                        if (depth == 2 && r.getLocalName().equals("Code")) {
                            code = r.getElementText().strip();
                            depth--;
                        } else if (depth == 2 && r.getLocalName().equals("RequestId")) {
                            requestId = r.getElementText().strip();
                            depth--;
                        }
                    } else if (event == XMLStreamReader.END_ELEMENT) {
                        depth--;
                    }
                }
            } catch (XMLStreamException | RuntimeException e) {
                // Not an S3 error document (a proxy's HTML page): keep what was read before it broke.
            }
        }
        return new S3ErrorResponse(status, token(code), token(requestIdHeader != null ? requestIdHeader : requestId));
    }

    /** A code or request id as a message may show it: short, plain characters, else none. */
    private static String token(String value) {
        return value != null && TOKEN.matcher(value).matches() ? value : null;
    }

    private static XMLInputFactory xmlFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }
}
