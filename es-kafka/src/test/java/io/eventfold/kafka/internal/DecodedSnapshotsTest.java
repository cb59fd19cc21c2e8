package io.eventfold.kafka.internal;

import io.eventfold.core.Snapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodedSnapshotsTest {

    @Test
    void shouldDropTheAggregateHandledLongestAgoWhenFull() {
        DecodedSnapshots<String> decoded = new DecodedSnapshots<>(2);
        decoded.put("a", new Snapshot<>("a", 1, "A"));
        decoded.put("b", new Snapshot<>("b", 1, "B"));
        decoded.get("a");                                   // a handled again: b is now the oldest
        decoded.put("c", new Snapshot<>("c", 1, "C"));

        assertThat(decoded.size()).isEqualTo(2);
        assertThat(decoded.get("b")).isNull();
        assertThat(decoded.get("a")).isEqualTo(new Snapshot<>("a", 1, "A"));
        assertThat(decoded.get("c")).isEqualTo(new Snapshot<>("c", 1, "C"));
    }

    @Test
    void shouldKeepTheLatestOfAnAggregateAndForgetOnRequest() {
        DecodedSnapshots<String> decoded = new DecodedSnapshots<>(10);
        decoded.put("a", new Snapshot<>("a", 1, "A1"));
        decoded.put("a", new Snapshot<>("a", 2, "A2"));
        assertThat(decoded.get("a")).isEqualTo(new Snapshot<>("a", 2, "A2"));

        decoded.forget("a");
        assertThat(decoded.get("a")).isNull();
        decoded.put("b", new Snapshot<>("b", 1, "B"));
        decoded.clear();
        assertThat(decoded.size()).isZero();
    }

    @Test
    void shouldKeepNothingWithCapacityZeroAndRefuseANegativeOne() {
        DecodedSnapshots<String> none = new DecodedSnapshots<>(0);
        none.put("a", new Snapshot<>("a", 1, "A"));
        assertThat(none.get("a")).isNull();
        assertThatThrownBy(() -> new DecodedSnapshots<String>(-1)).hasMessage("capacity must be at least 0 but was -1");
    }
}
