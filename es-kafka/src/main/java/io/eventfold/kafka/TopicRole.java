package io.eventfold.kafka;

import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The six roles a topic plays for an aggregate type and the two it plays for a process manager,
 * each with the configuration {@link TopicLayout#create} gives a new topic and the rules {@link TopicLayout#verify} holds an
 * existing one to. This is the one place the topic policy is written.
 *
 * <table>
 *   <caption>Topics of one aggregate type</caption>
 *   <tr><th>role</th><th>created with</th><th>an existing topic must</th></tr>
 *   <tr><td>{@link #COMMANDS}</td><td>delete after 7 days</td><td>be {@code cleanup.policy=delete}, never compacted</td></tr>
 *   <tr><td>{@link #EVENTS}</td><td>kept forever: {@code retention.ms=-1}, {@code retention.bytes=-1}</td>
 *       <td>be {@code cleanup.policy=delete}, keep events forever</td></tr>
 *   <tr><td>{@link #SNAPSHOTS}</td><td>{@code cleanup.policy=compact}</td>
 *       <td>be {@code cleanup.policy=compact}, without {@code delete}</td></tr>
 *   <tr><td>{@link #COMMAND_RESULTS}</td><td>delete after 1 day</td><td>be {@code cleanup.policy=delete}, never compacted</td></tr>
 *   <tr><td>{@link #DEAD_LETTERS}</td><td>delete after 7 days</td><td>be {@code cleanup.policy=delete}, never compacted</td></tr>
 *   <tr><td>{@link #REPLIES}</td><td>delete after 1 hour</td><td>be {@code cleanup.policy=delete}, never compacted</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Topics of one process manager</caption>
 *   <tr><th>role</th><th>created with</th><th>an existing topic must</th></tr>
 *   <tr><td>{@link #PROCESS_REPLIES}</td><td>delete after 7 days</td><td>be {@code cleanup.policy=delete}, never compacted</td></tr>
 *   <tr><td>{@link #PROCESS_DEAD_LETTERS}</td><td>delete after 7 days</td><td>be {@code cleanup.policy=delete}, never compacted</td></tr>
 * </table>
 *
 * <p>Every role also has a production {@linkplain #replicationFactor() replication factor} (3) and
 * {@linkplain #minInsyncReplicas() min.insync.replicas} (2), checked by {@link #checkReplication};
 * whether falling short of them refuses or warns is the {@link ReplicationPolicy}'s choice.
 *
 * <p>The commands, events, snapshots and command-results topics are
 * {@linkplain #coPartitioned() co-partitioned}: an aggregate's records share one partition number
 * on all four. A process manager's replies topic has as many partitions as its source type's topics.
 *
 * <pre>{@code
 * String topic = TopicRole.EVENTS.topic(invoices.topics());      // "invoice-events"
 * Map<String, String> configs = TopicRole.EVENTS.configs();     // {cleanup.policy=delete, retention.ms=-1, …}
 * }</pre>
 */
public enum TopicRole {

    /** Where clients write commands. */
    COMMANDS(TopicNames::commands, true, deleteAfter(Duration.ofDays(7)),
            "compaction keeps only the latest command of an aggregate and drops those not handled yet"),

    /** The event log, the single source of truth: kept forever and never compacted. */
    EVENTS(TopicNames::events, true, Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1"),
            "compaction would remove events",
            Rule.equal(TopicConfig.RETENTION_MS_CONFIG, "-1", "events must be kept forever"),
            Rule.equal(TopicConfig.RETENTION_BYTES_CONFIG, "-1", "events must be kept forever")),

    /** The latest state of each aggregate: compacted, so restoring reads one record per aggregate. */
    SNAPSHOTS(TopicNames::snapshots, true, Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
            "compaction keeps each aggregate's latest snapshot, deletion would remove those of idle aggregates"),

    /** One result per command, read by gateways; kept long enough for any client to read its answer. */
    COMMAND_RESULTS(TopicNames::commandResults, true, deleteAfter(Duration.ofDays(1)),
            "compaction keeps only the latest result of an aggregate and drops answers gateways have not read"),

    /** Raw command records that could not be answered with a result. */
    DEAD_LETTERS(TopicNames::deadLetters, false, deleteAfter(Duration.ofDays(7)),
            "compaction would drop dead letters that share a key"),

    /**
     * A copy of each result whose command names a reply partition, read by the one gateway that
     * owns the partition; read within a command's timeout, so kept only an hour. Not
     * co-partitioned: its partitions are shared out among gateways, not aggregates.
     */
    REPLIES(TopicNames::replies, false, deleteAfter(Duration.ofHours(1)),
            "compaction keeps only the latest reply of an aggregate and drops replies gateways have not read"),

    /**
     * A process manager's inbox of results: a copy of the result of each command it sent, written
     * by the target type's topology. Kept like commands, 7 days, so results wait while the manager
     * is down. Co-partitioned with the manager's source type: its partition {@code p} holds the
     * results of the commands sent on behalf of the source aggregates of partition {@code p}.
     */
    PROCESS_REPLIES(true, ProcessManagerTopics::replies, deleteAfter(Duration.ofDays(7)),
            "compaction keeps only the latest result for a target aggregate and drops results the manager has not read"),

    /** The inputs a process manager failed on or could not read, with the reason. */
    PROCESS_DEAD_LETTERS(false, ProcessManagerTopics::deadLetters, deleteAfter(Duration.ofDays(7)),
            "compaction would drop dead letters that share a key");

    /** docs/reliability.md: a lost broker loses no acknowledged record, and writes go on while one is down. */
    private static final int PRODUCTION_REPLICATION_FACTOR = 3;
    private static final int PRODUCTION_MIN_INSYNC_REPLICAS = 2;

    private final Function<TopicNames, String> name;
    private final Function<ProcessManagerTopics, String> managerTopic;
    private final boolean coPartitioned;
    private final Map<String, String> configs;
    private final List<Rule> rules;

    // cleanupWhy: why an existing topic must keep the cleanup policy it is created with.
    TopicRole(Function<TopicNames, String> name, boolean coPartitioned, Map<String, String> configs, String cleanupWhy,
              Rule... rules) {
        this(name, null, coPartitioned, configs, cleanupWhy, rules);
    }

    /** A process manager's topic; its replies topic is co-partitioned with the source type's topics. */
    TopicRole(boolean coPartitionedWithSource, Function<ProcessManagerTopics, String> managerTopic, Map<String, String> configs,
              String cleanupWhy) {
        this(null, managerTopic, coPartitionedWithSource, configs, cleanupWhy);
    }

    TopicRole(Function<TopicNames, String> name, Function<ProcessManagerTopics, String> managerTopic, boolean coPartitioned,
              Map<String, String> configs, String cleanupWhy, Rule... rules) {
        this.name = name;
        this.managerTopic = managerTopic;
        this.coPartitioned = coPartitioned;
        this.configs = configs;
        List<Rule> all = new ArrayList<>(Arrays.asList(rules));
        // The cleanup policy a topic is created with is the one it must keep: one rule, not two.
        all.add(Rule.sameList(TopicConfig.CLEANUP_POLICY_CONFIG, configs.get(TopicConfig.CLEANUP_POLICY_CONFIG), cleanupWhy));
        this.rules = List.copyOf(all);
    }

    /**
     * The topic that plays this role for an aggregate type.
     *
     * @param names an aggregate type's topic names
     * @return the name of this role's topic
     * @throws IllegalStateException if this is a role of a process manager's topic
     */
    public String topic(TopicNames names) {
        if (name == null) {
            throw new IllegalStateException(this + " is a role of a process manager's topic");
        }
        return name.apply(names);
    }

    /**
     * The topic that plays this role for a process manager.
     *
     * @param names a process manager's topic names
     * @return the name of this role's topic
     * @throws IllegalStateException if this is a role of an aggregate type's topic
     */
    public String topic(ProcessManagerTopics names) {
        if (managerTopic == null) {
            throw new IllegalStateException(this + " is a role of an aggregate type's topic");
        }
        return managerTopic.apply(names);
    }

    /**
     * The roles of an aggregate type's six topics.
     *
     * @return commands, events, snapshots, command results, dead letters, replies
     */
    public static List<TopicRole> ofAggregateType() {
        return Arrays.stream(values()).filter(role -> role.name != null).toList();
    }

    /**
     * The roles of a process manager's two topics.
     *
     * @return replies, dead letters
     */
    public static List<TopicRole> ofProcessManager() {
        return Arrays.stream(values()).filter(role -> role.managerTopic != null).toList();
    }

    /**
     * Whether the topic must have as many partitions as the type's other co-partitioned topics
     * (for a process manager's replies topic: as its source type's).
     *
     * @return true for commands, events, snapshots, command results and process managers' replies
     */
    public boolean coPartitioned() {
        return coPartitioned;
    }

    /**
     * The configuration of a newly created topic in this role, without replication settings.
     *
     * @return topic config name → value
     */
    public Map<String, String> configs() {
        return configs;
    }

    /**
     * The replicas every partition of this topic needs in production, the same for every role.
     *
     * <pre>{@code
     * int replicas = TopicRole.EVENTS.replicationFactor();   // 3
     * }</pre>
     *
     * @return the least replication factor {@link #checkReplication} accepts: 3
     */
    public int replicationFactor() {
        return PRODUCTION_REPLICATION_FACTOR;
    }

    /**
     * The in-sync replicas a write to this topic needs in production, the same for every role.
     *
     * <pre>{@code
     * int insync = TopicRole.EVENTS.minInsyncReplicas();   // 2
     * }</pre>
     *
     * @return the least {@code min.insync.replicas} {@link #checkReplication} accepts: 2
     */
    public int minInsyncReplicas() {
        return PRODUCTION_MIN_INSYNC_REPLICAS;
    }

    /**
     * The configuration {@link TopicLayout#create} gives a new topic with that many replicas:
     * {@link #configs()}, plus {@code min.insync.replicas} of one less than the replicas, at most
     * {@link #minInsyncReplicas()}, so a write survives one lost broker and writes go on while one
     * broker is down. With -1 (the broker's default replication factor) the broker's
     * {@code min.insync.replicas} applies.
     */
    Map<String, String> configs(short replicationFactor) {
        if (replicationFactor == -1) {
            return configs;
        }
        Map<String, String> withReplication = new HashMap<>(configs);
        int insync = Math.max(1, Math.min(minInsyncReplicas(), replicationFactor - 1));
        withReplication.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(insync));
        return Map.copyOf(withReplication);
    }

    /**
     * Whether an existing topic's configuration keeps Eventfold's guarantees.
     *
     * @param topic the topic's name, for the messages
     * @param config the topic's configuration: name → value (absent keys read as empty)
     * @return one message per broken rule, naming the topic, the setting, its value and the expected one; empty if none
     */
    public List<String> check(String topic, Map<String, String> config) {
        List<String> problems = new ArrayList<>();
        for (Rule rule : rules) {
            String actual = config.getOrDefault(rule.key(), "");
            if (!rule.holds(actual)) {
                problems.add("topic '" + topic + "' has " + rule.key() + "=" + actual + ", " + rule.why());
            }
        }
        return problems;
    }

    /**
     * Whether an existing topic is replicated as production needs: at least
     * {@link #replicationFactor()} replicas and {@code min.insync.replicas} at least
     * {@link #minInsyncReplicas()}.
     *
     * <pre>{@code
     * TopicRole.EVENTS.checkReplication("invoice-events", 1, Map.of("min.insync.replicas", "1"));
     * // ["topic 'invoice-events' has replication.factor=1, expected at least 3: …", …]
     * }</pre>
     *
     * @param topic the topic's name, for the messages
     * @param replicationFactor the fewest replicas of any of its partitions
     * @param config the topic's configuration: name → value (an absent {@code min.insync.replicas} reads as empty)
     * @return one message per shortfall, naming the topic, the setting, its value and the expected one; empty if none
     */
    public List<String> checkReplication(String topic, int replicationFactor, Map<String, String> config) {
        List<String> problems = new ArrayList<>();
        if (replicationFactor < replicationFactor()) {
            problems.add("topic '" + topic + "' has replication.factor=" + replicationFactor + ", expected at least "
                    + replicationFactor() + ": one lost broker could lose acknowledged records");
        }
        String insync = config.getOrDefault(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "");
        if (!atLeast(insync, minInsyncReplicas())) {
            problems.add("topic '" + topic + "' has " + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG + "=" + insync
                    + ", expected at least " + minInsyncReplicas() + ": a write acknowledged by one replica is lost with its broker");
        }
        return problems;
    }

    private static boolean atLeast(String value, int least) {
        try {
            return Integer.parseInt(value.trim()) >= least;
        } catch (NumberFormatException unreadable) {
            return false;
        }
    }

    private static Map<String, String> deleteAfter(Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }

    /** One setting an existing topic must keep; {@code why} completes the message. */
    private record Rule(String key, String value, Kind kind, String why) {

        enum Kind { EQUAL, SAME_LIST }

        static Rule equal(String key, String value, String why) {
            return new Rule(key, value, Kind.EQUAL, "expected " + value + ": " + why);
        }

        /**
         * A list setting such as {@code cleanup.policy} that must hold exactly the given entries, in
         * any order: {@code compact,delete} is neither {@code compact} nor {@code delete}.
         */
        static Rule sameList(String key, String value, String why) {
            return new Rule(key, value, Kind.SAME_LIST, "expected " + value + ": " + why);
        }

        boolean holds(String actual) {
            return switch (kind) {
                case EQUAL -> value.equals(actual);
                case SAME_LIST -> entries(value).equals(entries(actual));
            };
        }

        private static Set<String> entries(String list) {
            return Arrays.stream(list.split(",")).map(String::trim).filter(entry -> !entry.isEmpty()).collect(Collectors.toSet());
        }
    }
}
