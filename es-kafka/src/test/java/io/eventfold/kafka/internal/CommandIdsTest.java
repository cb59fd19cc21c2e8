package io.eventfold.kafka.internal;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Results and their expiry index share one store; expiry takes exactly what was handled before the cutoff. */
class CommandIdsTest {

    private final KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore("command-ids"), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
    private final CommandIds ids;

    CommandIdsTest() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        ids = new CommandIds(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldAnswerWithTheRememberedResultPerAggregateAndCommandId() {
        ids.remember("acc-1", "c1", utf8("result one"), 1_000);

        assertThat(ids.result("acc-1", "c1")).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(utf8("result one")));
        assertThat(ids.result("acc-2", "c1")).isEmpty();
        assertThat(ids.result("acc-1", "c2")).isEmpty();
    }

    @Test
    void shouldKeepAnIdHandledAtTheCutoffAndForgetOneHandledAMillisecondBefore() {
        ids.remember("acc-1", "before", utf8("a"), 999);
        ids.remember("acc-1", "at", utf8("b"), 1_000);

        assertThat(ids.expireBefore(1_000, 100)).isEqualTo(1);

        assertThat(ids.result("acc-1", "before")).isEmpty();
        assertThat(ids.result("acc-1", "at")).isPresent();
        assertThat(entries()).hasSize(2);
    }

    @Test
    void shouldExpireAtMostTheLimitOldestFirstRemovingResultAndIndexTogether() {
        for (int i = 0; i < 5; i++) {
            ids.remember("acc-" + i, "c", utf8("r" + i), 100 + i);
        }

        assertThat(ids.expireBefore(10_000, 3)).isEqualTo(3);

        assertThat(ids.result("acc-0", "c")).isEmpty();
        assertThat(ids.result("acc-2", "c")).isEmpty();
        assertThat(ids.result("acc-3", "c")).isPresent();
        assertThat(entries()).hasSize(4);
        assertThat(ids.expireBefore(10_000, 3)).isEqualTo(2);
        assertThat(entries()).isEmpty();
    }

    @Test
    void shouldHandleTimesBeforeTheEpochAndIdsThatLookLikeIndexKeys() {
        ids.remember("\u0000", "\u0000", utf8("odd"), -5);
        ids.remember("acc-1", "c1", utf8("late"), Long.MAX_VALUE - 1);

        assertThat(ids.expireBefore(0, 100)).isEqualTo(1);

        assertThat(ids.result("\u0000", "\u0000")).isEmpty();
        assertThat(ids.result("acc-1", "c1")).isPresent();
    }

    private List<Bytes> entries() {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
