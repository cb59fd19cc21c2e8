package io.eventfold.kafka.internal;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The punctuator that fires a partition's deadlines, driven by hand: armed from a restored store, held back while rebuilding. */
class DeadlineTimerTest {

    private final MockProcessorContext<String, Routed> context = new MockProcessorContext<>();
    private final List<String> fired = new ArrayList<>();
    private DeadlineStore store;
    private boolean snapshotsCurrent;
    private DeadlineTimer timer;

    @BeforeEach
    void init() {
        KeyValueStore<Bytes, byte[]> entries = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("ticket-deadline-store"),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        entries.init(context.getStateStoreContext(), entries);
        store = new DeadlineStore(entries);
        context.setCurrentSystemTimeMs(1_000);
        timer = new DeadlineTimer(context, store, Duration.ofMillis(100), () -> snapshotsCurrent,
                due -> fired.add(due.commandId()), "ticket partition 0");
    }

    private void schedule(String aggregateId, long dueMillis) {
        store.schedule(aggregateId, "expiry", dueMillis, aggregateId + "/deadline/expiry/1", "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** The punctuator armed now, or null. */
    private MockProcessorContext.CapturedPunctuator armed() {
        return context.scheduledPunctuators().stream().filter(punctuator -> !punctuator.cancelled()).reduce((a, b) -> b).orElse(null);
    }

    @Test
    void shouldArmForTheDeadlinesARestoredStoreHolds() {
        schedule("t-1", 1_500);
        schedule("t-2", 900);

        timer.init();
        snapshotsCurrent = true;
        armed().getPunctuator().punctuate(1_500);

        assertThat(fired).containsExactly("t-2/deadline/expiry/1", "t-1/deadline/expiry/1");
        assertThat(store.earliest()).isEmpty();
        assertThat(armed()).as("nothing waits: no punctuator").isNull();
    }

    @Test
    void shouldHoldADueDeadlineWhileThePartitionRebuildsAndFireItOnceItsSnapshotsAreCurrent() {
        schedule("t-1", 1_500);
        timer.wakeBy(1_500, 1_000);
        assertThat(armed().getInterval()).isEqualTo(Duration.ofMillis(500));

        armed().getPunctuator().punctuate(2_000);
        assertThat(fired).isEmpty();
        assertThat(store.earliest()).hasValue(1_500);
        assertThat(armed().getInterval()).as("looked at again 5 s later, not every tick").isEqualTo(Duration.ofSeconds(5));

        snapshotsCurrent = true;
        armed().getPunctuator().punctuate(2_100);
        assertThat(fired).containsExactly("t-1/deadline/expiry/1");
        assertThat(store.earliest()).isEmpty();
        assertThat(armed()).isNull();
    }

    @Test
    void shouldFireAtMostItsBoundInOnePunctuationAndTheRestATickLater() {
        snapshotsCurrent = true;
        for (int i = 0; i <= DeadlineTimer.MAX_PER_TICK; i++) {
            schedule(String.format("t-%05d", i), 900);
        }
        timer.init();

        armed().getPunctuator().punctuate(1_100);
        assertThat(fired).hasSize(DeadlineTimer.MAX_PER_TICK);
        assertThat(armed().getInterval()).as("the rest a tick later").isEqualTo(Duration.ofMillis(100));

        armed().getPunctuator().punctuate(1_200);
        assertThat(fired).hasSize(DeadlineTimer.MAX_PER_TICK + 1).doesNotHaveDuplicates();
        assertThat(store.earliest()).isEmpty();
        assertThat(armed()).isNull();
    }
}
