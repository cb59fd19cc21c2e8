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
import org.apache.kafka.common.config.TopicConfig;
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
 * Creates and checks the topics of aggregate types.
 *
 * <table>
 *   <caption>Topics of one aggregate type</caption>
 *   <tr><th>topic</th><th>configuration</th></tr>
 *   <tr><td>{@code <type>-commands}</td><td>delete after 7 days</td></tr>
 *   <tr><td>{@code <type>-events}</td><td>kept forever: {@code retention.ms=-1}, {@code retention.bytes=-1}</td></tr>
 *   <tr><td>{@code <type>-snapshots}</td><td>{@code cleanup.policy=compact}</td></tr>
 *   <tr><td>{@code <type>-command-results}</td><td>delete after 1 day</td></tr>
 *   <tr><td>{@code <type>-commands-dlq}</td><td>delete after 7 days</td></tr>
 * </table>
 *
 * <p>The commands, events, snapshots and command-results topics of a type must have the same
 * number of partitions: an aggregate's records then share one partition number everywhere.
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
    private static final String SEVEN_DAYS_MS = Long.toString(Duration.ofDays(7).toMillis());
    private static final String ONE_DAY_MS = Long.toString(Duration.ofDays(1).toMillis());

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
            TopicNames names = type.topics();
            topics.add(topic(names.commands(), partitions, replicas, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS)));
            topics.add(topic(names.events(), partitions, replicas, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1",
                    TopicConfig.RETENTION_BYTES_CONFIG, "-1")));
            topics.add(topic(names.snapshots(), partitions, replicas, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            topics.add(topic(names.commandResults(), partitions, replicas, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, ONE_DAY_MS)));
            topics.add(topic(names.deadLetters(), partitions, replicas, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS)));
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
        Map<String, Config> configs = configs(admin, descriptions);
        for (AggregateType<?, ?, ?> type : types) {
            TopicNames names = type.topics();
            Map<String, Integer> partitions = new LinkedHashMap<>();
            for (String topic : List.of(names.commands(), names.events(), names.snapshots(), names.commandResults())) {
                TopicDescription description = descriptions.get(topic);
                if (description != null) {
                    partitions.put(topic, description.partitions().size());
                }
            }
            if (partitions.values().stream().distinct().count() > 1) {
                problems.add("the topics of aggregate type '" + type.name() + "' must have the same number of partitions, but "
                        + partitions + "; never add partitions to one of them: re-create them together");
            }
            Config events = configs.get(names.events());
            if (events != null) {
                expect(problems, names.events(), events, TopicConfig.RETENTION_MS_CONFIG, "-1", "events must be kept forever");
                expect(problems, names.events(), events, TopicConfig.RETENTION_BYTES_CONFIG, "-1", "events must be kept forever");
                String policy = value(events, TopicConfig.CLEANUP_POLICY_CONFIG);
                if (policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    problems.add("topic '" + names.events() + "' has cleanup.policy=" + policy
                            + ", expected delete: compaction would remove events");
                }
            }
            Config snapshots = configs.get(names.snapshots());
            if (snapshots != null && !value(snapshots, TopicConfig.CLEANUP_POLICY_CONFIG).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                problems.add("topic '" + names.snapshots() + "' has cleanup.policy="
                        + value(snapshots, TopicConfig.CLEANUP_POLICY_CONFIG) + ", expected compact");
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

    private Map<String, Config> configs(Admin admin, Map<String, TopicDescription> existing) {
        List<ConfigResource> resources = new ArrayList<>();
        for (AggregateType<?, ?, ?> type : types) {
            for (String topic : List.of(type.topics().events(), type.topics().snapshots())) {
                if (existing.containsKey(topic)) {
                    resources.add(new ConfigResource(ConfigResource.Type.TOPIC, topic));
                }
            }
        }
        Map<String, Config> configs = new LinkedHashMap<>();
        if (!resources.isEmpty()) {
            await(admin.describeConfigs(resources).all(), "describe topic configs")
                    .forEach((resource, config) -> configs.put(resource.name(), config));
        }
        return configs;
    }

    private static void expect(List<String> problems, String topic, Config config, String key, String expected, String why) {
        String actual = value(config, key);
        if (!expected.equals(actual)) {
            problems.add("topic '" + topic + "' has " + key + "=" + actual + ", expected " + expected + ": " + why);
        }
    }

    private static String value(Config config, String key) {
        ConfigEntry entry = config.get(key);
        return entry == null || entry.value() == null ? "" : entry.value();
    }

    private static NewTopic topic(String name, int partitions, Optional<Short> replicas, Map<String, String> configs) {
        return new NewTopic(name, Optional.of(partitions), replicas).configs(configs);
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
