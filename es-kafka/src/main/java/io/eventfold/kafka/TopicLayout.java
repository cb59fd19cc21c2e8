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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.function.Consumer;

/**
 * Creates and checks the topics of aggregate types, each with the configuration and the rules
 * of its {@link TopicRole}. The co-partitioned topics of a type must have the same number of
 * partitions: an aggregate's records then share one partition number everywhere.
 *
 * <p>A topic replicated below production needs (fewer than 3 replicas, {@code min.insync.replicas}
 * below 2) is refused or only logged at WARN, as the {@link ReplicationPolicy} says; by default
 * ({@link ReplicationPolicy#REFUSE_IF_ATTAINABLE}) it is refused on a cluster of 3 or more brokers
 * and logged on a smaller one.
 *
 * <pre>{@code
 * try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:9092"))) {
 *     TopicLayout layout = TopicLayout.of(invoices);
 *     layout.create(admin, 6, (short) 3);   // creates what is missing, then verifies
 *     layout.verify(admin);                 // what EventfoldStreams.start does before starting
 *     layout.withReplicationPolicy(ReplicationPolicy.REFUSE).verify(admin);   // never only warn
 * }
 * }</pre>
 */
public final class TopicLayout {

    private static final Logger LOG = LoggerFactory.getLogger(TopicLayout.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<PlannedTopic> topics;
    private final ReplicationPolicy replication;
    /** Where a replication shortfall goes when the policy lets it pass; the log but in tests. */
    private final Consumer<String> warnings;

    /**
     * One topic of the layout: its role, and the group of topics that must have as many partitions
     * as it (the aggregate type whose partitions it follows), or null.
     */
    private record PlannedTopic(String name, TopicRole role, String coPartitionedWith) {
    }

    private TopicLayout(List<PlannedTopic> topics, ReplicationPolicy replication, Consumer<String> warnings) {
        this.topics = topics;
        this.replication = replication;
        this.warnings = warnings;
    }

    /**
     * The layout of one or more aggregate types and any process managers between them, with the
     * default replication policy {@link ReplicationPolicy#REFUSE_IF_ATTAINABLE}.
     *
     * @param parts the aggregate types and process managers
     * @return their layout
     * @throws IllegalArgumentException if no aggregate type is given, two parts share a name or a
     *     topic, or a process manager's source or target type is not among the parts
     */
    public static TopicLayout of(TopologyPart... parts) {
        TopologyParts checked = TopologyParts.of(parts);
        List<PlannedTopic> planned = new ArrayList<>();
        for (AggregateType<?, ?, ?> type : checked.types()) {
            for (TopicRole role : TopicRole.ofAggregateType()) {
                planned.add(new PlannedTopic(role.topic(type.topics()), role, role.coPartitioned() ? type.name() : null));
            }
        }
        for (ProcessManagerType<?, ?, ?> manager : checked.managers()) {
            for (TopicRole role : TopicRole.ofProcessManager()) {
                planned.add(new PlannedTopic(role.topic(manager.topics()), role,
                        role.coPartitioned() ? manager.source().name() : null));
            }
        }
        return new TopicLayout(List.copyOf(planned), ReplicationPolicy.REFUSE_IF_ATTAINABLE, LOG::warn);
    }

    /**
     * The same layout under another replication policy.
     *
     * <pre>{@code
     * TopicLayout.of(invoices).withReplicationPolicy(ReplicationPolicy.REFUSE).verify(admin);
     * }</pre>
     *
     * @param policy what {@link #verify} and {@link #create} do with topics replicated below production needs
     * @return a new layout; this one is unchanged
     */
    public TopicLayout withReplicationPolicy(ReplicationPolicy policy) {
        return new TopicLayout(topics, Objects.requireNonNull(policy, "policy must not be null"), warnings);
    }

    /**
     * What this layout does with topics replicated below production needs.
     *
     * @return the replication policy, {@link ReplicationPolicy#REFUSE_IF_ATTAINABLE} unless chosen
     */
    public ReplicationPolicy replicationPolicy() {
        return replication;
    }

    /** The same layout, sending the warnings of its replication policy to the sink instead of the log. */
    TopicLayout withWarnings(Consumer<String> sink) {
        return new TopicLayout(topics, replication, sink);
    }

    /**
     * The topics to create, with their configurations: each {@linkplain TopicRole#configs() role's},
     * and, unless the replication factor is the broker default, {@code min.insync.replicas} of one
     * less than the replicas, at most 2 (so 2 with 3 replicas, 1 with 1 or 2).
     *
     * @param partitions partitions of every topic, {@code >= 1}
     * @param replicationFactor replicas of every partition, {@code >= 1}, or -1 for the broker default
     *     (the broker's {@code min.insync.replicas} applies then)
     * @return one new topic per topic of every aggregate type and process manager
     */
    public List<NewTopic> newTopics(int partitions, short replicationFactor) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 but was " + partitions);
        }
        if (replicationFactor < 1 && replicationFactor != -1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1 or -1 but was " + replicationFactor);
        }
        Optional<Short> replicas = replicationFactor == -1 ? Optional.empty() : Optional.of(replicationFactor);
        List<NewTopic> created = new ArrayList<>();
        for (PlannedTopic topic : topics) {
            created.add(new NewTopic(topic.name(), Optional.of(partitions), replicas).configs(topic.role().configs(replicationFactor)));
        }
        return created;
    }

    /**
     * Creates every topic that does not exist yet, then {@linkplain #verify verifies} the layout.
     * Existing topics are left as they are. A replication factor below production needs is
     * refused before anything is created when the {@linkplain #replicationPolicy() replication
     * policy} would refuse the topics afterwards, and logged at WARN otherwise.
     *
     * @param admin an admin client of the cluster
     * @param partitions partitions of every new topic
     * @param replicationFactor replicas of every partition of a new topic, or -1 for the broker default
     * @throws TopicLayoutException if the resulting layout is not usable, or the replication policy
     *     refuses the replication factor (nothing is created then)
     * @throws KafkaException if the cluster cannot be reached in time
     */
    public void create(Admin admin, int partitions, short replicationFactor) {
        Objects.requireNonNull(admin, "admin must not be null");
        List<NewTopic> wanted = new ArrayList<>(newTopics(partitions, replicationFactor));
        List<String> missing = check(admin).missing();
        wanted.removeIf(topic -> !missing.contains(topic.name()));
        refuseUnreplicated(admin, wanted, replicationFactor);
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
        settle(findings);
        awaitLeaders(admin, deadline);
    }

    /**
     * Refuses, before anything exists, topics that verify would refuse for their replication:
     * a topic's replication factor cannot simply be changed once it holds data.
     */
    private void refuseUnreplicated(Admin admin, List<NewTopic> wanted, short replicationFactor) {
        if (replicationFactor == -1 || wanted.isEmpty()) {
            return; // the broker's default replication factor is known only once a topic has it: verify judges it
        }
        List<String> shortfalls = new ArrayList<>();
        for (PlannedTopic topic : topics) {
            TopicRole role = topic.role();
            if (wanted.stream().anyMatch(newTopic -> newTopic.name().equals(topic.name()))
                    && !role.checkReplication(topic.name(), replicationFactor, role.configs(replicationFactor)).isEmpty()) {
                shortfalls.add(topic.name());
            }
        }
        int brokers = brokers(admin);
        if (!shortfalls.isEmpty() && refusesShortfalls(brokers)) {
            throw new TopicLayoutException(List.of("cannot create " + shortfalls + " with replication.factor="
                    + replicationFactor + ", expected at least " + productionReplicas() + " (ReplicationPolicy." + replication
                    + ", " + cluster(brokers) + "); nothing was created"));
        }
    }

    /**
     * Waits until every partition answers a ListOffsets request, which only a partition's active
     * leader does. A topic can be described a moment before its partitions accept writes, and an
     * idempotent producer whose first batch meets that gap can be left retrying an out-of-order
     * sequence forever.
     */
    private void awaitLeaders(Admin admin, long deadline) {
        List<String> names = names();
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
     * topics of each type have the same number of partitions, and that each topic keeps the rules
     * of its {@link TopicRole}: commands, command results and dead letters deleted by time and
     * never compacted, events kept forever and never compacted, snapshots compacted and never
     * deleted. Topics replicated below production needs (replication factor 3,
     * {@code min.insync.replicas} 2) are refused or logged at WARN as the
     * {@linkplain #replicationPolicy() replication policy} says.
     *
     * @param admin an admin client of the cluster
     * @throws TopicLayoutException listing every problem found
     * @throws KafkaException if the cluster cannot be reached in time
     */
    public void verify(Admin admin) {
        Objects.requireNonNull(admin, "admin must not be null");
        settle(check(admin));
    }

    /**
     * What {@link #verify(Admin)} does with what it read from the cluster.
     *
     * @param descriptions the existing topics of the layout by name; absent ones are missing
     * @param configs the configuration of each existing topic: name → (config name → value)
     * @param brokers the brokers of the cluster
     */
    void verify(Map<String, TopicDescription> descriptions, Map<String, Map<String, String>> configs, int brokers) {
        settle(evaluate(descriptions, configs, brokers));
    }

    private Findings check(Admin admin) {
        Map<String, TopicDescription> descriptions = describe(admin);
        return evaluate(descriptions, configs(admin, descriptions), brokers(admin));
    }

    private Findings evaluate(Map<String, TopicDescription> descriptions, Map<String, Map<String, String>> configs, int brokers) {
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> shortfalls = new ArrayList<>();
        for (PlannedTopic topic : topics) {
            if (!descriptions.containsKey(topic.name())) {
                missing.add(topic.name());
                problems.add("topic '" + topic.name() + "' does not exist: create it with TopicLayout.create");
            }
        }
        Map<String, Map<String, Integer>> groups = new LinkedHashMap<>();
        for (PlannedTopic topic : topics) {
            TopicRole role = topic.role();
            TopicDescription description = descriptions.get(topic.name());
            if (description != null && topic.coPartitionedWith() != null) {
                groups.computeIfAbsent(topic.coPartitionedWith(), group -> new LinkedHashMap<>())
                        .put(topic.name(), description.partitions().size());
            }
            Map<String, String> config = configs.get(topic.name());
            if (config != null) {
                problems.addAll(role.check(topic.name(), config));
            }
            if (description != null && config != null) {
                shortfalls.addAll(role.checkReplication(topic.name(), replicationFactor(description), config));
            }
        }
        groups.forEach((type, partitions) -> {
            if (partitions.values().stream().distinct().count() > 1) {
                problems.add("the topics of aggregate type '" + type + "' must have the same number of partitions, but "
                        + partitions + " (a process manager's replies topic counts as one of its source type's)"
                        + "; never add partitions to one of them: re-create them together");
            }
        });
        return new Findings(problems, missing, shortfalls, refusesShortfalls(brokers), brokers);
    }

    private boolean refusesShortfalls(int brokers) {
        return replication.refuses(brokers, productionReplicas());
    }

    /** The most replicas any role needs in production: a cluster of fewer brokers cannot give them. */
    private static int productionReplicas() {
        return Arrays.stream(TopicRole.values()).mapToInt(TopicRole::replicationFactor).max().orElseThrow();
    }

    /** The fewest replicas of any partition: the one that can least afford a lost broker. */
    private static int replicationFactor(TopicDescription description) {
        return description.partitions().stream().mapToInt(partition -> partition.replicas().size()).min().orElse(0);
    }

    /** Throws for every problem and every refused replication shortfall; warns of shortfalls let pass. */
    private void settle(Findings findings) {
        List<String> refused = new ArrayList<>(findings.problems());
        if (findings.refuseShortfalls()) {
            refused.addAll(findings.shortfalls());
        } else if (!findings.shortfalls().isEmpty()) {
            warnings.accept("the topics are replicated below production needs (docs/reliability.md), accepted by "
                    + "ReplicationPolicy." + replication + " on " + cluster(findings.brokers()) + ":\n  - "
                    + String.join("\n  - ", findings.shortfalls()));
        }
        if (!refused.isEmpty()) {
            throw new TopicLayoutException(refused);
        }
    }

    /**
     * What a check found: every problem, which topics do not exist (yet), the replication
     * shortfalls and whether the policy refuses them on this cluster.
     */
    private record Findings(List<String> problems, List<String> missing, List<String> shortfalls,
                            boolean refuseShortfalls, int brokers) {
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for new topics", e);
        }
    }

    private List<String> names() {
        return topics.stream().map(PlannedTopic::name).toList();
    }

    /** The existing topics of the layout by name; a missing one is absent. */
    private Map<String, TopicDescription> describe(Admin admin) {
        List<String> names = names();
        Map<String, TopicDescription> found = new LinkedHashMap<>();
        admin.describeTopics(names).topicNameValues().forEach((topic, future) -> {
            try {
                found.put(topic, await(future, "describe topic " + topic));
            } catch (KafkaException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        });
        return found;
    }

    private static String cluster(int brokers) {
        return "a cluster of " + brokers + (brokers == 1 ? " broker" : " brokers");
    }

    private static int brokers(Admin admin) {
        return await(admin.describeCluster().nodes(), "describe the cluster").size();
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
