package io.eventfold.kafka.client;

import io.eventfold.core.Snapshot;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Waiters read their aggregate when they arrive and when it changes, never on a timer while the store answers. */
class VersionWaitsTest {

    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final AtomicInteger notQueryable = new AtomicInteger();
    private final VersionWaits<String> waits = new VersionWaits<>(this::read, Duration.ofMillis(5), Duration.ofHours(1));

    @AfterEach
    void close() {
        waits.close();
    }

    private Snapshot<String> read(String aggregateId) {
        reads.computeIfAbsent(aggregateId, id -> new AtomicInteger()).incrementAndGet();
        if (notQueryable.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new InvalidStateStoreException("rebalancing");
        }
        return new Snapshot<>(aggregateId, versions.getOrDefault(aggregateId, 0L), "state of " + aggregateId);
    }

    private int readsOf(String aggregateId) {
        AtomicInteger count = reads.get(aggregateId);
        return count == null ? 0 : count.get();
    }

    /** Waits until every read queued so far has run: the executor has one thread and runs in order. */
    private void drain() {
        versions.put("marker", 1L);
        waits.await("marker", 0, Duration.ofSeconds(30)).join();
    }

    @Test
    void shouldSeeAChangeThatWasNotSignalledByReadingAgainAfterAWhile() {
        try (VersionWaits<String> restoring = new VersionWaits<>(this::read, Duration.ofMillis(5), Duration.ofMillis(50))) {
            versions.put("r", 1L);
            CompletableFuture<Snapshot<String>> atTwo = restoring.await("r", 2, Duration.ofSeconds(30));

            versions.put("r", 2L);   // restored from the changelog: no changed("r")

            assertThat(atTwo.join().version()).isEqualTo(2);
        }
    }

    @Test
    void shouldReadOnArrivalAndThenOnlyWhenTheAggregateChanges() {
        versions.put("a", 1L);
        CompletableFuture<Snapshot<String>> atThree = waits.await("a", 3, Duration.ofSeconds(30));
        drain();
        assertThat(readsOf("a")).isEqualTo(1);

        waits.changed("b");
        waits.changed("b");
        drain();
        assertThat(readsOf("a")).as("a change of another aggregate reads nothing of this one").isEqualTo(1);
        assertThat(readsOf("b")).as("an aggregate nobody waits for is not read").isZero();

        versions.put("a", 2L);
        waits.changed("a");
        drain();
        assertThat(readsOf("a")).isEqualTo(2);
        assertThat(atThree).isNotDone();

        versions.put("a", 3L);
        waits.changed("a");
        assertThat(atThree.join().version()).isEqualTo(3);
        assertThat(waits.waiting()).isZero();
    }

    @Test
    void shouldServeEveryWaiterOfAnAggregateWithOneRead() {
        CompletableFuture<Snapshot<String>> one = waits.await("a", 1, Duration.ofSeconds(30));
        CompletableFuture<Snapshot<String>> two = waits.await("a", 1, Duration.ofSeconds(30));
        drain();
        int before = readsOf("a");

        versions.put("a", 1L);
        waits.changed("a");

        assertThat(one.join()).isSameAs(two.join());
        assertThat(readsOf("a") - before).isEqualTo(1);
    }

    @Test
    void shouldReadAgainOnATimerWhileTheStoreIsNotQueryable() {
        notQueryable.set(3);
        versions.put("a", 4L);

        assertThat(waits.await("a", 4, Duration.ofSeconds(30)).join().version()).isEqualTo(4);
        assertThat(readsOf("a")).isEqualTo(4);
    }

    @Test
    void shouldCompleteVersionZeroAtOnce() {
        assertThat(waits.await("new", 0, Duration.ofSeconds(30)).join())
                .isEqualTo(new Snapshot<>("new", 0, "state of new"));
    }

    @Test
    void shouldNameTheAggregateAndTheVersionsWhenItTimesOut() {
        versions.put("a", 2L);

        assertThatThrownBy(() -> waits.await("a", 5, Duration.ofMillis(50)).join())
                .cause().isInstanceOf(TimeoutException.class)
                .hasMessage("aggregate a did not reach version 5 within 50 ms: the last version seen was 2");
        assertThat(waits.waiting()).isZero();
    }

    @Test
    void shouldFailTheWaitersOfAnAggregateThatCannotBeRead() {
        VersionWaits<String> elsewhere = new VersionWaits<>(id -> {
            throw new IllegalStateException("unknown Invoice type 'Disputed'");
        }, Duration.ofMillis(5), Duration.ofHours(1));
        try {
            assertThatThrownBy(() -> elsewhere.await("a", 1, Duration.ofSeconds(30)).join())
                    .cause().hasMessage("unknown Invoice type 'Disputed'");
        } finally {
            elsewhere.close();
        }
    }

    @Test
    void shouldFailWaitersOnCloseAndAfter() {
        CompletableFuture<Snapshot<String>> waiting = waits.await("a", 1, Duration.ofSeconds(30));
        waits.close();

        assertThatThrownBy(waiting::join).cause().isInstanceOf(IllegalStateException.class)
                .hasMessage("the aggregate store was closed");
        assertThatThrownBy(() -> waits.await("a", 1, Duration.ofSeconds(30)).join())
                .cause().isInstanceOf(IllegalStateException.class);
    }
}
