package io.eventfold.kafka;

import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The five roles a topic plays for an aggregate type, each with the configuration
 * {@link TopicLayout#create} gives a new topic and the rules {@link TopicLayout#verify} holds an
 * existing one to. This is the one place the topic policy is written.
 *
 * <table>
 *   <caption>Topics of one aggregate type</caption>
 *   <tr><th>role</th><th>created with</th><th>an existing topic must</th></tr>
 *   <tr><td>{@link #COMMANDS}</td><td>delete after 7 days</td><td>—</td></tr>
 *   <tr><td>{@link #EVENTS}</td><td>kept forever: {@code retention.ms=-1}, {@code retention.bytes=-1}</td>
 *       <td>keep events forever and never compact</td></tr>
 *   <tr><td>{@link #SNAPSHOTS}</td><td>{@code cleanup.policy=compact}</td><td>be compacted</td></tr>
 *   <tr><td>{@link #COMMAND_RESULTS}</td><td>delete after 1 day</td><td>—</td></tr>
 *   <tr><td>{@link #DEAD_LETTERS}</td><td>delete after 7 days</td><td>—</td></tr>
 * </table>
 *
 * <p>The commands, events, snapshots and command-results topics are
 * {@linkplain #coPartitioned() co-partitioned}: an aggregate's records share one partition number
 * on all four.
 *
 * <pre>{@code
 * String topic = TopicRole.EVENTS.topic(invoices.topics());      // "invoice-events"
 * Map<String, String> configs = TopicRole.EVENTS.configs();     // {cleanup.policy=delete, retention.ms=-1, …}
 * }</pre>
 */
public enum TopicRole {

    /** Where clients write commands. */
    COMMANDS(TopicNames::commands, true, deleteAfter(Duration.ofDays(7))),

    /** The event log, the single source of truth: kept forever and never compacted. */
    EVENTS(TopicNames::events, true, Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, "-1",
            TopicConfig.RETENTION_BYTES_CONFIG, "-1"),
            Rule.equal(TopicConfig.RETENTION_MS_CONFIG, "-1", "events must be kept forever"),
            Rule.equal(TopicConfig.RETENTION_BYTES_CONFIG, "-1", "events must be kept forever"),
            Rule.without(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    "expected delete: compaction would remove events")),

    /** The latest state of each aggregate: compacted, so restoring reads one record per aggregate. */
    SNAPSHOTS(TopicNames::snapshots, true, Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
            Rule.with(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT, "expected compact")),

    /** One result per command, read by gateways; kept long enough for any client to read its answer. */
    COMMAND_RESULTS(TopicNames::commandResults, true, deleteAfter(Duration.ofDays(1))),

    /** Raw command records that could not be answered with a result. */
    DEAD_LETTERS(TopicNames::deadLetters, false, deleteAfter(Duration.ofDays(7)));

    private final Function<TopicNames, String> name;
    private final boolean coPartitioned;
    private final Map<String, String> configs;
    private final List<Rule> rules;

    TopicRole(Function<TopicNames, String> name, boolean coPartitioned, Map<String, String> configs, Rule... rules) {
        this.name = name;
        this.coPartitioned = coPartitioned;
        this.configs = configs;
        this.rules = List.of(rules);
    }

    /**
     * The topic that plays this role.
     *
     * @param names an aggregate type's topic names
     * @return the name of this role's topic
     */
    public String topic(TopicNames names) {
        return name.apply(names);
    }

    /**
     * Whether the topic must have as many partitions as the type's other co-partitioned topics.
     *
     * @return true for commands, events, snapshots and command results
     */
    public boolean coPartitioned() {
        return coPartitioned;
    }

    /**
     * The configuration of a newly created topic in this role.
     *
     * @return topic config name → value
     */
    public Map<String, String> configs() {
        return configs;
    }

    /**
     * Whether an existing topic's configuration keeps Eventfold's guarantees.
     *
     * @param topic the topic's name, for the messages
     * @param config the topic's configuration: name → value (absent keys read as empty)
     * @return one message per broken rule, naming the topic, the setting and why; empty if none
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

    private static Map<String, String> deleteAfter(Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }

    /** One setting an existing topic must keep; {@code why} completes the message. */
    private record Rule(String key, String value, Kind kind, String why) {

        enum Kind { EQUAL, WITH, WITHOUT }

        static Rule equal(String key, String value, String why) {
            return new Rule(key, value, Kind.EQUAL, "expected " + value + ": " + why);
        }

        /** A list setting such as {@code cleanup.policy=compact,delete} that must include the value. */
        static Rule with(String key, String value, String why) {
            return new Rule(key, value, Kind.WITH, why);
        }

        static Rule without(String key, String value, String why) {
            return new Rule(key, value, Kind.WITHOUT, why);
        }

        boolean holds(String actual) {
            return switch (kind) {
                case EQUAL -> value.equals(actual);
                case WITH -> List.of(actual.split(",")).stream().map(String::trim).anyMatch(value::equals);
                case WITHOUT -> List.of(actual.split(",")).stream().map(String::trim).noneMatch(value::equals);
            };
        }
    }
}
