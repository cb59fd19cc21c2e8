package io.eventfold.kafka;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Decision;

import java.time.Duration;

/**
 * One aggregate type as two builds of an application see it: build 2 adds an event type, which
 * it records along with an add of 100 or more. Both share the type's name, so its topics.
 */
public final class TwoBuilds {

    private TwoBuilds() {
    }

    /** The commands, the same in both builds. */
    public sealed interface TallyCommand {

        record Add(long amount) implements TallyCommand {
        }
    }

    /** The state, the same in both builds. */
    public record Tally(long total) {
    }

    /** The events of build 1. */
    public sealed interface EventV1 {

        record Added(long amount) implements EventV1 {
        }
    }

    /** The events of build 2: one type more. */
    public sealed interface EventV2 {

        record Added(long amount) implements EventV2 {
        }

        record LargeAddNoted(long amount) implements EventV2 {
        }
    }

    /** The amount from which build 2 records a {@code LargeAddNoted} too. */
    public static final long LARGE = 100;

    public static AggregateType<TallyCommand, EventV1, Tally> v1(String name) {
        Aggregate<TallyCommand, EventV1, Tally> tally = Aggregate.of(new Tally(0),
                (command, state) -> Decision.accept(new EventV1.Added(((TallyCommand.Add) command).amount())),
                (state, event) -> new Tally(state.total() + ((EventV1.Added) event).amount()));
        return AggregateType.builder(name, tally)
                .commands(TallyCommand.class).events(EventV1.class).state(Tally.class)
                .commandIdRetention(Duration.ofMinutes(10))
                .build();
    }

    public static AggregateType<TallyCommand, EventV2, Tally> v2(String name) {
        Aggregate<TallyCommand, EventV2, Tally> tally = Aggregate.of(new Tally(0),
                (command, state) -> {
                    long amount = ((TallyCommand.Add) command).amount();
                    return amount >= LARGE
                            ? Decision.accept(new EventV2.Added(amount), new EventV2.LargeAddNoted(amount))
                            : Decision.accept(new EventV2.Added(amount));
                },
                (state, event) -> event instanceof EventV2.Added added ? new Tally(state.total() + added.amount()) : state);
        return AggregateType.builder(name, tally)
                .commands(TallyCommand.class).events(EventV2.class).state(Tally.class)
                .commandIdRetention(Duration.ofMinutes(10))
                .build();
    }
}
