package io.eventfold.kafka.client;

import io.eventfold.kafka.internal.ReplyAddress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The partitions of the replies topic this gateway owns now, and which waiting command asked for
 * its reply on which. A command is given a partition the gateway owns at the moment it is sent;
 * when the gateway loses that partition (a rebalance gave it to another gateway) before the reply
 * is read, the command is sent again with the same command id, to a partition owned then or
 * without a reply address: the topology answers a redelivery from memory, at the redelivery's
 * own address, so the answer is not lost. Giving out an address and losing a partition are one
 * lock apart, so no command is given a partition that is being lost without being sent again.
 */
final class ReplyPartitions {

    private final String topic;
    private final TreeSet<Integer> owned = new TreeSet<>();
    private final Map<PendingCommands.CommandKey, Stamp> stamped = new HashMap<>();
    private int next;

    private record Stamp(int partition, Runnable resend) {
    }

    ReplyPartitions(String topic) {
        this.topic = topic;
    }

    /**
     * The address of a command about to be sent, taken in turn among the partitions owned; none
     * when the gateway owns none.
     *
     * @param command the command
     * @param resend sends the command again; run when the partition is lost before its reply is read
     */
    synchronized Optional<ReplyAddress> stamp(PendingCommands.CommandKey command, Runnable resend) {
        if (owned.isEmpty()) {
            stamped.remove(command);
            return Optional.empty();
        }
        List<Integer> partitions = new ArrayList<>(owned);
        int partition = partitions.get(Math.floorMod(next++, partitions.size()));
        stamped.put(command, new Stamp(partition, resend));
        return Optional.of(new ReplyAddress(topic, partition));
    }

    /** The command is answered or given up on. */
    synchronized void forget(PendingCommands.CommandKey command) {
        stamped.remove(command);
    }

    synchronized void assigned(Collection<Integer> partitions) {
        owned.addAll(partitions);
    }

    /**
     * The gateway no longer owns these partitions.
     *
     * @return how to send again each command that waits for a reply on one of them
     */
    synchronized List<Runnable> lost(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        List<Runnable> resends = new ArrayList<>();
        for (Iterator<Stamp> stamps = stamped.values().iterator(); stamps.hasNext(); ) {
            Stamp stamp = stamps.next();
            if (partitions.contains(stamp.partition())) {
                resends.add(stamp.resend());
                stamps.remove();
            }
        }
        return resends;
    }

    synchronized Set<Integer> owned() {
        return Set.copyOf(owned);
    }
}
