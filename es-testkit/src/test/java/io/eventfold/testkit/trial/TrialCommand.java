package io.eventfold.testkit.trial;

import java.time.Instant;

public sealed interface TrialCommand {

    /** Starts a trial ending at {@code endsAt}: schedules its end, and a reminder three days before. */
    record Start(Instant endsAt) implements TrialCommand {
    }

    /** Turns the trial into a subscription: cancels its end, not the reminder. */
    record Subscribe() implements TrialCommand {
    }

    /** Moves the trial's end: schedules "end" again, which replaces the earlier one. */
    record Extend(Instant endsAt) implements TrialCommand {
    }

    /** Fired by the "end" deadline. */
    record End() implements TrialCommand {
    }

    /** Fired by the "reminder" deadline; the first reminder schedules a second one a day before the end. */
    record Remind() implements TrialCommand {
    }

    /** Breaks the rule on purpose: schedules a deadline without an event. */
    record Snooze() implements TrialCommand {
    }
}
