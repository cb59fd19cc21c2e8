package io.eventfold.kafka;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** An event Jackson cannot write must become a Failed result, not a dead stream thread. */
class UnwritableOutputTest {

    sealed interface Write permits Write.Plain, Write.Broken, Write.Huge {
        record Plain() implements Write {
        }

        record Broken() implements Write {
        }

        record Huge(int size) implements Write {
        }
    }

    sealed interface Written permits Written.Fine, Written.Unwritable, Written.Big {
        record Big(String text) implements Written {
        }

        record Fine(int n) implements Written {
        }

        record Unwritable(Exploding value) implements Written {
        }
    }

    /** A bean whose only property throws when Jackson reads it. */
    static final class Exploding {
        public String getBoom() {
            throw new IllegalStateException("boom");
        }
    }

    @TempDir
    Path stateDir;

    @Test
    void shouldAnswerFailedAndKeepTheSnapshotWhenAnEventCannotBeWritten() {
        Aggregate<Write, Written, Integer> counter = Aggregate.of(0,
                (command, count) -> Decision.accept(command instanceof Write.Broken ? new Written.Unwritable(new Exploding())
                        : command instanceof Write.Huge huge ? new Written.Big("x".repeat(huge.size())) : new Written.Fine(count + 1)),
                (count, event) -> count + 1);
        AggregateType<Write, Written, Integer> type = AggregateType.builder("odd", counter)
                .commands(Write.class).events(Written.class).state(Integer.class).build();

        try (TopologyTestDriver driver = TopologyHarness.driver(stateDir, type)) {
            TopologyHarness<Write, Written, Integer> odd = new TopologyHarness<>(driver, type);
            odd.send(Command.of("o-1", (Write) new Write.Broken()).withCommandId("c1"));
            odd.send(Command.of("o-1", (Write) new Write.Plain()).withCommandId("c2"));

            var results = odd.readResults();
            assertThat(results.get(0)).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.version()).isZero();
                assertThat(failed.errorType()).isEqualTo(EnvelopeFormatException.class.getName());
                assertThat(failed.message()).startsWith("cannot write " + Written.Unwritable.class.getName() + " as JSON")
                        .contains("boom");
            });
            assertThat(results.get(1).version()).isEqualTo(1);
            assertThat(odd.events.readValuesToList()).extracting(Event::payload).containsExactly(new Written.Fine(1));
        }
    }

    @Test
    void shouldAnswerFailedInsteadOfProducingARecordTheBrokerWouldRefuse() {
        Aggregate<Write, Written, Integer> echo = Aggregate.of(0,
                (command, count) -> Decision.accept(command instanceof Write.Huge huge
                        ? new Written.Big("x".repeat(huge.size())) : new Written.Fine(count + 1)),
                (count, event) -> count + 1);
        AggregateType<Write, Written, Integer> type = AggregateType.builder("echo", echo)
                .commands(Write.class).events(Written.class).state(Integer.class).build();
        Properties smallRequests = new Properties();
        smallRequests.put("producer.max.request.size", 4_000);

        try (TopologyTestDriver driver = TopologyHarness.driver(stateDir, smallRequests, type)) {
            TopologyHarness<Write, Written, Integer> topics = new TopologyHarness<>(driver, type);
            topics.send(Command.of("e-1", (Write) new Write.Huge(1_000)).withCommandId("c1"));
            topics.send(Command.of("e-1", (Write) new Write.Huge(5_000)).withCommandId("c2"));

            var results = topics.readResults();
            assertThat(results.get(0).version()).isEqualTo(1);
            assertThat(results.get(1)).isInstanceOfSatisfying(CommandResult.Failed.class, failed -> {
                assertThat(failed.version()).isEqualTo(1);
                assertThat(failed.errorType()).isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
                assertThat(failed.message()).matches("the event version 2 would be a record of 5,\\d{3} bytes on echo-events, "
                        + "over the 2,976 bytes allowed \\(the producer's max.request.size of 4,000 less 1,024 kept free for "
                        + "compression framing\\); nothing was applied");
            });
            assertThat(topics.events.readValuesToList()).hasSize(1);
        }
    }
}
