package io.eventfold.kafka.internal;

import io.eventfold.core.CommandResult;
import io.eventfold.kafka.StoreNames;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The largest record each output topic takes: the smaller of the producer's
 * {@code max.request.size} and the topic's {@code max.message.bytes} as read when the application
 * started. An output over it is refused before anything is applied: under exactly-once the
 * producer's or the broker's refusal would abort the transaction, stop the stream thread, and the
 * same command would fail again after every restart.
 *
 * <p>What the stores write to their changelogs is held to those topics' limits too.
 *
 * <p>The topics' limits reach the processors through the application's configs, under
 * {@link #TOPIC_LIMIT_PREFIX}; a topic without one is limited by the producer alone.
 */
public final class OutputLimits {

    /** Followed by a topic name: that topic's {@code max.message.bytes}, as read at start. */
    public static final String TOPIC_LIMIT_PREFIX = "eventfold.internal.max.message.bytes.";

    /**
     * Kept free below every limit of up to 8 MiB: the stream thread's producer compresses with
     * lz4 ({@code EventfoldConfig.streams}), and lz4, like a broker that compresses a batch again
     * (the topic's {@code compression.type} differs from the producer's), stores a block of data it
     * cannot shrink as it is, with a few bytes of framing per block: about 80 bytes per MiB, such
     * as a dead letter of random bytes. Above 8 MiB {@link #compressionMargin} grows with the limit.
     */
    static final int MINIMUM_MARGIN = 1024;
    /** Bytes of the limit per byte kept free above {@link #MINIMUM_MARGIN}: 128 per MiB, more than lz4's framing. */
    private static final int BYTES_PER_MARGIN_BYTE = 8192;

    private final int maxRequestSize;
    private final Map<String, Integer> topicLimits;
    private final String snapshotChangelog;
    private final String commandIdChangelog;
    private final String deadlineChangelog;

    private OutputLimits(int maxRequestSize, Map<String, Integer> topicLimits, String snapshotChangelog,
                         String commandIdChangelog, String deadlineChangelog) {
        this.maxRequestSize = maxRequestSize;
        this.topicLimits = topicLimits;
        this.snapshotChangelog = snapshotChangelog;
        this.commandIdChangelog = commandIdChangelog;
        this.deadlineChangelog = deadlineChangelog;
    }

    /** The application configs that carry these topics' {@code max.message.bytes} to the processors. */
    public static Map<String, Object> asConfigs(Map<String, Integer> maxMessageBytesByTopic) {
        Map<String, Object> configs = new HashMap<>();
        maxMessageBytesByTopic.forEach((topic, limit) -> configs.put(TOPIC_LIMIT_PREFIX + topic, limit));
        return configs;
    }

    /** The limits of the topics alone, for a processor without stores of its own to check. */
    static OutputLimits of(Map<String, Object> appConfigs) {
        return new OutputLimits(maxRequestSize(appConfigs), topicLimits(appConfigs), null, null, null);
    }

    /** The limits that these application configs (a processor's {@code appConfigs()}) imply for the stores' type. */
    static OutputLimits of(Map<String, Object> appConfigs, StoreNames stores) {
        String applicationId = String.valueOf(appConfigs.get(StreamsConfig.APPLICATION_ID_CONFIG));
        return new OutputLimits(maxRequestSize(appConfigs), topicLimits(appConfigs),
                StoreNames.changelog(applicationId, stores.snapshots()), StoreNames.changelog(applicationId, stores.commandIds()),
                StoreNames.changelog(applicationId, stores.deadlines()));
    }

    /** Why the snapshot store's changelog cannot take this snapshot, or null. */
    String snapshotEntryProblem(String aggregateId, byte[] snapshot) {
        return problem("snapshot store entry", snapshotChangelog,
                RecordSize.upperBound(aggregateId.getBytes(StandardCharsets.UTF_8).length, snapshot.length));
    }

    /** Why the deadline store's changelog cannot take a deadline entry of this many bytes, or null. */
    String deadlineEntryProblem(int bytes) {
        return problem("deadline store entry", deadlineChangelog, bytes);
    }

    /** Why the command-id store's changelog cannot take the entry that remembers this result, or null. */
    String commandIdEntryProblem(CommandResult<?, ?> result) {
        int bytes = CommandIds.changelogRecordBytes(result);
        return bytes == 0 ? null : problem("command-id store entry", commandIdChangelog, bytes);
    }

    /** Why this record cannot be written, or null when it fits its topic. */
    String problem(String what, Record<String, Routed> record) {
        Routed routed = record.value();
        return problem(what, routed.topic(), RecordSize.upperBound(record.key(), routed.value(), record.headers()));
    }

    /** Why a record of this size cannot be written to this topic, or null when it fits. */
    String problem(String what, String topic, int recordBytes) {
        Integer topicLimit = topicLimits.get(topic);
        boolean topicDecides = topicLimit != null && topicLimit < maxRequestSize;
        int limit = topicDecides ? topicLimit : maxRequestSize;
        int margin = compressionMargin(limit);
        int allowed = limit - margin;
        if (recordBytes <= allowed) {
            return null;
        }
        return String.format(Locale.ROOT, "the %s would be a record of %,d bytes on %s, over the %,d bytes allowed (%s of"
                        + " %,d less %,d kept free for compression framing)", what, recordBytes, topic, allowed, topicDecides
                        ? "the topic's " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG
                        : "the producer's " + ProducerConfig.MAX_REQUEST_SIZE_CONFIG, limit, margin);
    }

    /** The bytes kept free below a limit: {@link #MINIMUM_MARGIN}, or more for a limit above 8 MiB. */
    static int compressionMargin(int limit) {
        return Math.max(MINIMUM_MARGIN, limit / BYTES_PER_MARGIN_BYTE);
    }

    private static Map<String, Integer> topicLimits(Map<String, Object> appConfigs) {
        Map<String, Integer> topics = new HashMap<>();
        appConfigs.forEach((name, value) -> {
            if (name.startsWith(TOPIC_LIMIT_PREFIX)) {
                topics.put(name.substring(TOPIC_LIMIT_PREFIX.length()), toInt(value));
            }
        });
        return Map.copyOf(topics);
    }

    private static int maxRequestSize(Map<String, Object> configs) {
        Object configured = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (configured == null) {
            configured = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return toInt(configured == null
                ? ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG) : configured);
    }

    private static int toInt(Object value) {
        return value instanceof Number number ? number.intValue() : Integer.parseInt(value.toString().trim());
    }
}
