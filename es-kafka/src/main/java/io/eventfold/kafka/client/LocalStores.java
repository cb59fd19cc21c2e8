package io.eventfold.kafka.client;

import io.eventfold.kafka.AggregateType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The stores of one aggregate type in this instance: which copy of an aggregate's partition it
 * holds (active, standby, none) and the store to query for it within a {@link Staleness} bound.
 */
final class LocalStores {

    private final KafkaStreams streams;
    private final AggregateType<?, ?, ?> type;

    LocalStores(KafkaStreams streams, AggregateType<?, ?, ?> type) {
        this.streams = streams;
        this.type = type;
    }

    KeyQueryMetadata metadata(String aggregateId) {
        return streams.queryMetadataForKey(type.stores().snapshots(), aggregateId, Serdes.String().serializer());
    }

    /** Whether the key's partition is known: not while the application starts. */
    static boolean located(KeyQueryMetadata metadata) {
        return metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) && metadata.partition() >= 0;
    }

    /** Whether an instance is known to own the partition: only when instances set {@code application.server}, and not mid-rebalance. */
    static boolean owned(KeyQueryMetadata metadata) {
        return located(metadata) && metadata.activeHost().port() >= 0;
    }

    /** Whether reads of the aggregate are answered here, by the active task or without application.server. */
    boolean answersHere(String aggregateId) {
        KeyQueryMetadata metadata = metadata(aggregateId);
        return !located(metadata) || hosts(metadata.partition(), ThreadMetadata::activeTasks);
    }

    /**
     * The store of this instance that may answer for the aggregate.
     *
     * @throws NotHostedHereException when this instance has no copy that may answer
     * @throws InvalidStateStoreException while the copy here cannot be queried (starting, rebalancing, restoring)
     */
    <T> T store(String storeName, String aggregateId, QueryableStoreType<T> storeType, Staleness staleness) {
        KeyQueryMetadata metadata = metadata(aggregateId);
        StoreQueryParameters<T> parameters = StoreQueryParameters.fromNameAndType(storeName, storeType);
        if (!located(metadata)) {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                throw new InvalidStateStoreException("the stores of '" + type.name() + "' are not queryable yet (state "
                        + streams.state() + ")");
            }
            // Not located while running: nothing to route by, this instance answers from the partitions it hosts.
            return streams.store(parameters);
        }
        int partition = metadata.partition();
        if (hosts(partition, ThreadMetadata::activeTasks)) {
            try {
                return streams.store(parameters.withPartition(partition));
            } catch (InvalidStateStoreException restoring) {
                if (!withinLag(storeName, partition, staleness)) {
                    throw restoring;
                }
                return streams.store(parameters.withPartition(partition).enableStaleStores());
            }
        }
        if (hosts(partition, ThreadMetadata::standbyTasks) && withinLag(storeName, partition, staleness)) {
            return streams.store(parameters.withPartition(partition).enableStaleStores());
        }
        throw new NotHostedHereException(aggregateId, metadata);
    }

    /** The lag as Kafka Streams reports it; a copy it reports none for is not within any bound. */
    private boolean withinLag(String storeName, int partition, Staleness staleness) {
        if (!staleness.allowsStandby()) {
            return false;
        }
        LagInfo lag = streams.allLocalStorePartitionLags().getOrDefault(storeName, Map.of()).get(partition);
        return lag != null && lag.offsetLag() <= staleness.maxLag();
    }

    private boolean hosts(int partition, Function<ThreadMetadata, Set<TaskMetadata>> tasks) {
        TopicPartition wanted = new TopicPartition(type.topics().commands(), partition);
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> tasks.apply(thread).stream())
                .anyMatch(task -> task.topicPartitions().contains(wanted));
    }
}
