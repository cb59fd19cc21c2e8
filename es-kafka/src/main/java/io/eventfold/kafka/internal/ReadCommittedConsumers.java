package io.eventfold.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;

import java.util.Locale;
import java.util.Properties;

/**
 * Builds the properties of every consumer that reads Eventfold's output topics, so that none of
 * them can see a record of an aborted transaction or commit an offset behind the caller's back,
 * whatever overrides a user passes.
 */
public final class ReadCommittedConsumers {

    private static final String READ_COMMITTED = IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT);

    private ReadCommittedConsumers() {
    }

    /**
     * Defaults, then the overrides, then the settings no override may change.
     *
     * @param bootstrapServers the brokers, or null to take them from the overrides
     * @param groupId the consumer group, or null for a consumer that assigns partitions itself
     *     (any group in the overrides is then removed)
     * @param overrides the caller's settings (security, timeouts…), may be empty
     * @return new properties with {@code isolation.level=read_committed}, automatic commits off and
     *     {@code allow.auto.create.topics=false}
     */
    public static Properties properties(String bootstrapServers, String groupId, Properties overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (bootstrapServers != null) {
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        props.putAll(overrides);
        if (groupId == null) {
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        } else {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, READ_COMMITTED);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Reading a topic that is missing must fail, not create it with the broker's defaults.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }
}
