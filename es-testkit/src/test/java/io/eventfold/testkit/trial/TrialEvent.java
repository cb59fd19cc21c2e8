package io.eventfold.testkit.trial;

import java.time.Instant;

public sealed interface TrialEvent {

    record Started(Instant endsAt) implements TrialEvent {
    }

    record Subscribed() implements TrialEvent {
    }

    record Extended(Instant endsAt) implements TrialEvent {
    }

    record Ended() implements TrialEvent {
    }

    record Reminded(int count) implements TrialEvent {
    }
}
