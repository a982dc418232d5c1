package io.kache.core.key;

import java.io.IOException;

/**
 * A call whose inputs kache cannot key at a cost in proportion to the call: it runs rustc unchanged,
 * counted under {@link #reason()}. An {@link IOException} so that every caller of a key already
 * treats it as "do not cache".
 */
public final class UncacheableCallException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param reason a short, stable phrase for {@code kache stats}
     * @param detail what exactly was refused, for the log
     */
    public UncacheableCallException(String reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    /** The short, stable phrase this call is counted under. */
    public String reason() {
        return reason;
    }
}
