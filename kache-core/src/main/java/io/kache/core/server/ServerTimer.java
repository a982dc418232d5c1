package io.kache.core.server;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one thread that times the server's calls: the deadline of a request's arrival
 * ({@link RequestDeadline}) and the watch on a call's client ({@link ClientWatch}). Nearly every
 * task is cancelled long before it is due, so a cancelled task leaves the queue at once instead of
 * waking the thread when its time comes.
 */
final class ServerTimer {

    static final ScheduledThreadPoolExecutor TIMER = timer();

    private ServerTimer() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kache-server-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
