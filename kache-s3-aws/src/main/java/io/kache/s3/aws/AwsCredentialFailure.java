package io.kache.s3.aws;

import io.kache.api.StoreMisconfiguredException;
import java.time.DateTimeException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A profile's credentials could not be obtained: its {@code credential_process} exited with an
 * error or printed what the SDK cannot read. The SDK reports this as an {@link IllegalStateException}
 * whose message holds the process's stderr, which may hold a secret, and which no catch of
 * {@code SdkException} sees. This one says which profile failed and how, never the process's output
 * or the SDK's message, and carries no cause that would.
 */
final class AwsCredentialFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** Only the exit status is taken from the SDK's message; the stderr after it never is. */
    private static final Pattern EXIT_STATUS = Pattern.compile("^Command returned non-zero exit value \\((-?\\d{1,10})\\)");

    private AwsCredentialFailure(String message) {
        super(message, null, false, false);
    }

    /**
     * @param source what kache's chain found, e.g. {@code credential_process (profile): profile 'ci' in ~/.aws/config}
     * @param failure what the SDK's provider threw
     */
    static AwsCredentialFailure of(String source, RuntimeException failure) {
        return new AwsCredentialFailure("cannot get credentials from " + source + ": " + reason(failure)
                + " (its output is not shown, as it may hold a secret: run the command yourself to see it)");
    }

    /** The process did not finish within {@code limit}, and was stopped. */
    static AwsCredentialFailure timedOut(String source, java.time.Duration limit) {
        return new AwsCredentialFailure("cannot get credentials from " + source + ": the process did not finish within "
                + limit.toSeconds() + " s (six of the remote's request timeouts) and was stopped; run the command"
                + " yourself to see what it waits for");
    }

    /** The wait for the process was interrupted: the caller is being stopped. */
    static AwsCredentialFailure interrupted(String source) {
        return new AwsCredentialFailure("cannot get credentials from " + source + ": interrupted while its process ran");
    }

    /** The store error to report; the message says it all, so there is no cause. */
    StoreMisconfiguredException toStoreException() {
        return new StoreMisconfiguredException(getMessage());
    }

    /**
     * What failed, in kache's words. The SDK's messages are static text but for the process's
     * stderr, so they are read only to tell the cases apart, never copied.
     */
    private static String reason(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            Matcher exit = EXIT_STATUS.matcher(message);
            if (exit.find()) {
                return "the process exited with status " + exit.group(1);
            }
            if (t instanceof DateTimeException) {
                return "its Expiration is not an ISO-8601 date and time";
            }
            if (message.startsWith("Unsupported credential version")) {
                return "its output does not say \"Version\": 1";
            }
            if (message.startsWith("Process did not return a JSON object") || t.getClass().getName().contains("Json")) {
                return "its output is not the JSON object the AWS CLI defines";
            }
            if (message.contains("AccessKeyId") || message.contains("SecretAccessKey")) {
                return "its output lacks AccessKeyId or SecretAccessKey";
            }
        }
        return "the credential provider failed (" + failure.getClass().getSimpleName() + ")";
    }
}
