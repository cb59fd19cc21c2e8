package io.eventfold.kafka.internal;

import java.util.concurrent.CompletionException;

/** What went wrong behind a future's failure. */
public final class Causes {

    private Causes() {
    }

    /**
     * The failure a future was completed with: a {@link CompletionException}'s cause, else the
     * error itself.
     *
     * @param error what the future's dependent saw
     * @return the cause to report
     */
    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
