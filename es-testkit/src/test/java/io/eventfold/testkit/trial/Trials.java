package io.eventfold.testkit.trial;

import io.eventfold.kafka.AggregateType;

public final class Trials {

    public static final AggregateType<TrialCommand, TrialEvent, Trial> TYPE =
            AggregateType.builder("trial", new TrialAggregate())
                    .commands(TrialCommand.class).events(TrialEvent.class).state(Trial.class)
                    .build();

    private Trials() {
    }
}
