package io.eventfold.kafka.client;

import io.eventfold.kafka.internal.ReplyAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyPartitionsTest {

    private final ReplyPartitions partitions = new ReplyPartitions("account-replies");
    private final List<String> resent = new ArrayList<>();

    private static PendingCommands.CommandKey key(String commandId) {
        return new PendingCommands.CommandKey("acc-1", commandId);
    }

    @Test
    void shouldGiveNoAddressWhileItOwnsNoPartition() {
        assertThat(partitions.stamp(key("c1"), () -> resent.add("c1"))).isEmpty();
        assertThat(partitions.lost(Set.of(0))).isEmpty();
    }

    @Test
    void shouldTakeTheOwnedPartitionsInTurn() {
        partitions.assigned(Set.of(4, 2));

        assertThat(List.of(partitions.stamp(key("c1"), () -> { }).orElseThrow(), partitions.stamp(key("c2"), () -> { }).orElseThrow(),
                partitions.stamp(key("c3"), () -> { }).orElseThrow()))
                .containsExactly(new ReplyAddress("account-replies", 2), new ReplyAddress("account-replies", 4),
                        new ReplyAddress("account-replies", 2));
        assertThat(partitions.owned()).containsExactlyInAnyOrder(2, 4);
    }

    @Test
    void shouldResendTheWaitingCommandsOfALostPartitionOnly() {
        partitions.assigned(Set.of(0, 1));
        partitions.stamp(key("on-0"), () -> resent.add("on-0"));
        partitions.stamp(key("on-1"), () -> resent.add("on-1"));
        partitions.stamp(key("answered-on-0"), () -> resent.add("answered-on-0"));
        partitions.forget(key("answered-on-0"));

        partitions.lost(Set.of(0)).forEach(Runnable::run);

        assertThat(resent).containsExactly("on-0");
        assertThat(partitions.owned()).containsExactly(1);
        // Sent again, it is given a partition still owned.
        assertThat(partitions.stamp(key("on-0"), () -> { })).contains(new ReplyAddress("account-replies", 1));
        assertThat(partitions.lost(Set.of(0))).isEmpty();
    }
}
