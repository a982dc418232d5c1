package io.kache.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user info of a URL ({@code http://KEY:SECRET@host/}) is a credential, never shown. What may
 * be user info is found by the {@code @} alone, whether or not the text parses: a password may hold
 * the characters that end an authority ({@code /}, {@code ?}, {@code #}, a space), and a value
 * without a scheme ({@code KEY:SECRET@host}) carries it at its start.
 */
public final class UrlUserInfo {

    /** The one part shown before the mask: any other "scheme" (AKID://SECRET@host) may be a credential. */
    private static final Pattern SCHEME = Pattern.compile("^https?://", Pattern.CASE_INSENSITIVE);

    private UrlUserInfo() {
    }

    /** Whether {@code text} may carry user info: whether it has an {@code @} anywhere. */
    public static boolean mayCarry(String text) {
        return text.indexOf('@') >= 0;
    }

    /**
     * {@code text} with all that may be user info, from after its {@code http://} or {@code
     * https://} (else from its start) to its last {@code @}, replaced by {@link Secret#MASK}:
     * {@code http://****@host/}.
     */
    public static String masked(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return text;
        }
        Matcher scheme = SCHEME.matcher(text);
        int start = scheme.find() && scheme.end() <= at ? scheme.end() : 0;
        return text.substring(0, start) + Secret.MASK + text.substring(at);
    }
}
