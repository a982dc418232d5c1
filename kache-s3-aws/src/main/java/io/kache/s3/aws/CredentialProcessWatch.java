package io.kache.s3.aws;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Bounds how long a profile's {@code credential_process} may run. The SDK runs it as
 * {@code sh -c COMMAND} and reads its output with no time limit, on the thread of the request (or of
 * the remote's opening) that needs credentials: a helper waiting on a prompt nobody answers, or on a
 * network that does not answer, held {@code kache sync} and {@code kache doctor} for ever, and a CI
 * job with them. The provider is asked on a thread of this watch, and the caller waits at most
 * {@link #SIX_TIMEOUTS} request timeouts; then the process (the JVM's child running exactly that
 * command, and what it started) is stopped, so neither it nor the SDK's thread reading it outlives
 * the wait, and the caller gets an {@link AwsCredentialFailure} saying so. Only credential_process
 * profiles are watched: other kinds ask servers, under the SDK's own timeouts.
 */
final class CredentialProcessWatch {

    /** How many of the remote's request timeouts a credential_process may take: 60 s for the default 10 s. */
    static final int SIX_TIMEOUTS = 6;
    private static final ExecutorService ASKS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kache-credential-process");
        t.setDaemon(true);
        return t;
    });

    private final String command;
    private final String source;
    private final Duration limit;

    /**
     * @param command the profile's {@code credential_process}, as the SDK passes it to {@code sh -c}
     * @param source what kache's chain found, for messages
     * @param requestTimeout the remote's {@code timeout}
     */
    CredentialProcessWatch(String command, String source, Duration requestTimeout) {
        this.command = command;
        this.source = source;
        this.limit = requestTimeout.multipliedBy(SIX_TIMEOUTS);
    }

    Duration limit() {
        return limit;
    }

    /** {@code delegate}'s credentials, asked within {@link #limit()}. */
    AwsCredentials resolve(AwsCredentialsProvider delegate) {
        Future<AwsCredentials> asked = ASKS.submit(delegate::resolveCredentials);
        try {
            return asked.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            asked.cancel(true);
            stopProcesses();
            throw AwsCredentialFailure.timedOut(source, limit);
        } catch (InterruptedException e) {
            asked.cancel(true);
            Thread.currentThread().interrupt();
            throw AwsCredentialFailure.interrupted(source);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Stops this JVM's children running {@code sh -c COMMAND}, and what each started: the SDK's read of
     * the process's output ends when the last holder of its pipe exits. A shell that replaced itself
     * with the command is not found; the caller's wait is bounded all the same.
     */
    int stopProcesses() {
        int[] stopped = {0};
        ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> Arrays.equals(a, new String[] {"-c", command})).orElse(false))
                .forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    stopped[0]++;
                });
        return stopped[0];
    }
}
