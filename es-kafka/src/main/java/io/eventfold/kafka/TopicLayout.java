package io.eventfold.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates and checks the topics of aggregate types, each with the configuration and the rules
 * of its {@link TopicRole}. The co-partitioned topics of a type must have the same number of
 * partitions: an aggregate's records then share one partition number everywhere.
 *
 * <pre>{@code
 * try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:9092"))) {
 *     TopicLayout layout = TopicLayout.of(invoices);
 *     layout.create(admin, 6, (short) 3);   // creates what is missing, then verifies
 *     layout.verify(admin);                 // what EventfoldStreams.start does before starting
 * }
 * }</pre>
 */
public final class TopicLayout {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<AggregateType<?, ?, ?>> types;

    private TopicLayout(List<AggregateType<?, ?, ?>> types) {
        this.types = types;
    }

    /**
     * The layout of one or more aggregate types.
     *
     * @param types the aggregate types
     * @return their layout
     * @throws IllegalArgumentException if no type is given, or two types share a name or a topic
     */
    public static TopicLayout of(AggregateType<?, ?, ?>... types) {
        AggregateTypes.checkDistinct(types);
        return new TopicLayout(List.copyOf(Arrays.asList(types)));
    }

    /**
     * The topics to create, with their configurations.
     *
     * @param partitions partitions of every topic, {@code >= 1}
     * @param replicationFactor replicas of every partition, {@code >= 1}, or -1 for the broker default
     * @return one new topic per topic name of every type
     */
    public List<NewTopic> newTopics(int partitions, short replicationFactor) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 but was " + partitions);
        }
        if (replicationFactor < 1 && replicationFactor != -1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1 or -1 but was " + replicationFactor);
        }
        Optional<Short> replicas = replicationFactor == -1 ? Optional.empty() : Optional.of(replicationFactor);
        List<NewTopic> topics = new ArrayList<>();
        for (AggregateType<?, ?, ?> type : types) {
            for (TopicRole role : TopicRole.values()) {
                topics.add(new NewTopic(role.topic(type.topics()), Optional.of(partitions), replicas).configs(role.configs()));
            }
        }
        return topics;
    }

    /**
     * Creates every topic that does not exist yet, then {@linkplain #verify verifies} the layout.
     * Existing topics are left as they are.
     *
     * @param admin an admin client of the cluster
     * @param partitions partitions of every new topic
     * @param replicationFactor replicas of every partition of a new topic, or -1 for the broker default
     * @throws TopicLayoutException if the resulting layout is not usable
     * @throws KafkaException if the cluster cannot be reached in time
     */
    public void create(Admin admin, int partitions, short replicationFactor) {
        Objects.requireNonNull(admin, "admin must not be null");
        List<NewTopic> wanted = newTopics(partitions, replicationFactor);
        Map<String, KafkaFuture<Void>> created = admin.createTopics(wanted).values();
        for (Map.Entry<String, KafkaFuture<Void>> entry : created.entrySet()) {
            try {
                await(entry.getValue(), "create topic " + entry.getKey());
            } catch (KafkaException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        // A created topic reaches every broker's metadata a moment after the controller confirms it.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Findings findings = check(admin);
        while (!findings.missing().isEmpty() && System.nanoTime() < deadline) {
            pause();
            findings = check(admin);
        }
        findings.throwIfAny();
        awaitLeaders(admin, deadline);
    }

    /**
     * Waits until every partition answers a ListOffsets request, which only a partition's active
     * leader does. A topic can be described a moment before its partitions accept writes, and an
     * idempotent producer whose first batch meets that gap can be left retrying an out-of-order
     * sequence forever.
     */
    private void awaitLeaders(Admin admin, long deadline) {
        List<String> names = types.stream().flatMap(type -> type.topics().all().stream()).toList();
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        await(admin.describeTopics(names).allTopicNames(), "describe topics").forEach((topic, description) ->
                description.partitions().forEach(partition ->
                        partitions.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
        while (true) {
            try {
                await(admin.listOffsets(partitions).all(), "list offsets");
                return;
            } catch (KafkaException notReadyYet) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("the partitions of " + names + " have no active leader after "
                            + TIMEOUT.toSeconds() + "s", notReadyYet);
                }
                pause();
            }
        }
    }

    /**
     * Checks that every topic exists, that the commands, events, snapshots and command-results
     * topics of each type have the same number of partitions, that events are kept forever and
     * never compacted, and that snapshots are compacted.
     *
     * @param admin an admin client of the cluster
     * @throws TopicLayoutException listing every problem found
     * @throws KafkaException if the cluster cannot be reached in time
     */
    public void verify(Admin admin) {
        Objects.requireNonNull(admin, "admin must not be null");
        check(admin).throwIfAny();
    }

    private Findings check(Admin admin) {
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, TopicDescription> descriptions = describe(admin, problems, missing);
        Map<String, Map<String, String>> configs = configs(admin, descriptions);
        for (AggregateType<?, ?, ?> type : types) {
            Map<String, Integer> partitions = new LinkedHashMap<>();
            for (TopicRole role : TopicRole.values()) {
                String topic = role.topic(type.topics());
                TopicDescription description = descriptions.get(topic);
                if (description != null && role.coPartitioned()) {
                    partitions.put(topic, description.partitions().size());
                }
                Map<String, String> config = configs.get(topic);
                if (config != null) {
                    problems.addAll(role.check(topic, config));
                }
            }
            if (partitions.values().stream().distinct().count() > 1) {
                problems.add("the topics of aggregate type '" + type.name() + "' must have the same number of partitions, but "
                        + partitions + "; never add partitions to one of them: re-create them together");
            }
        }
        return new Findings(problems, missing);
    }

    /** What a check found: every problem, and which topics do not exist (yet). */
    private record Findings(List<String> problems, List<String> missing) {
        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new TopicLayoutException(problems);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for new topics", e);
        }
    }

    private Map<String, TopicDescription> describe(Admin admin, List<String> problems, List<String> missing) {
        List<String> names = types.stream().flatMap(type -> type.topics().all().stream()).toList();
        Map<String, TopicDescription> found = new LinkedHashMap<>();
        admin.describeTopics(names).topicNameValues().forEach((topic, future) -> {
            try {
                found.put(topic, await(future, "describe topic " + topic));
            } catch (KafkaException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(topic);
                    problems.add("topic '" + topic + "' does not exist: create it with TopicLayout.create");
                } else {
                    throw e;
                }
            }
        });
        return found;
    }

    /** The configuration of every existing topic: name → (config name → value). */
    private static Map<String, Map<String, String>> configs(Admin admin, Map<String, TopicDescription> existing) {
        List<ConfigResource> resources = existing.keySet().stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        if (!resources.isEmpty()) {
            await(admin.describeConfigs(resources).all(), "describe topic configs")
                    .forEach((resource, config) -> configs.put(resource.name(), values(config)));
        }
        return configs;
    }

    private static Map<String, String> values(Config config) {
        Map<String, String> values = new HashMap<>();
        for (ConfigEntry entry : config.entries()) {
            if (entry.value() != null) {
                values.put(entry.name(), entry.value());
            }
        }
        return values;
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            throw new KafkaException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("cannot " + what + ": no answer within " + TIMEOUT.toSeconds() + "s", e);
        }
    }
}
