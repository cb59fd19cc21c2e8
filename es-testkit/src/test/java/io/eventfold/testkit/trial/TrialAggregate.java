package io.eventfold.testkit.trial;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Decision;
import io.eventfold.testkit.trial.TrialCommand.*;
import io.eventfold.testkit.trial.TrialEvent.*;

import java.time.Duration;
import java.time.Instant;

/** A free trial that ends on its own through a deadline unless the customer subscribes: the test kit's deadline sample. */
public final class TrialAggregate implements Aggregate<TrialCommand, TrialEvent, Trial> {

    public static final String END = "end";
    public static final String REMINDER = "reminder";

    @Override
    public Trial initialState() {
        return Trial.NEW;
    }

    @Override
    public Decision<TrialEvent> decide(TrialCommand command, Trial trial) {
        if (command instanceof Start start) {
            return trial.status() == Trial.Status.NEW
                    ? Decision.schedule(END, start.endsAt(), new End())
                            .schedule(REMINDER, start.endsAt().minus(Duration.ofDays(3)), new Remind())
                            .accept(new Started(start.endsAt()))
                    : Decision.reject("ALREADY_STARTED", "the trial is " + trial.status());
        }
        if (command instanceof Snooze) {
            return Decision.schedule(REMINDER, Instant.EPOCH, new Remind()).accept();
        }
        if (trial.status() != Trial.Status.TRIAL) {
            return Decision.reject("NOT_IN_TRIAL", "the trial is " + trial.status());
        }
        if (command instanceof Subscribe) {
            return Decision.cancel(END).accept(new Subscribed());
        }
        if (command instanceof Extend extend) {
            return Decision.schedule(END, extend.endsAt(), new End()).accept(new Extended(extend.endsAt()));
        }
        if (command instanceof End) {
            return Decision.accept(new Ended());
        }
        TrialEvent reminded = new Reminded(trial.reminders() + 1);
        return trial.reminders() == 0
                ? Decision.schedule(REMINDER, trial.endsAt().minus(Duration.ofDays(1)), new Remind()).accept(reminded)
                : Decision.accept(reminded);
    }

    @Override
    public Trial evolve(Trial trial, TrialEvent event) {
        if (event instanceof Started started) {
            return new Trial(Trial.Status.TRIAL, started.endsAt(), 0);
        }
        if (event instanceof Subscribed) {
            return new Trial(Trial.Status.SUBSCRIBED, trial.endsAt(), trial.reminders());
        }
        if (event instanceof Extended extended) {
            return new Trial(trial.status(), extended.endsAt(), trial.reminders());
        }
        if (event instanceof Ended) {
            return new Trial(Trial.Status.ENDED, trial.endsAt(), trial.reminders());
        }
        return new Trial(trial.status(), trial.endsAt(), ((Reminded) event).count());
    }
}
