package io.eventfold.kafka;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The six topics of one aggregate type. By default every name derives from the type name;
 * each can be overridden, for instance to follow a company naming scheme.
 *
 * <pre>{@code
 * TopicNames.forType("invoice");                      // invoice-commands, invoice-events, …
 * TopicNames.forType("invoice").withEvents("billing.invoice.events.v1");
 * }</pre>
 *
 * @param commands where clients write commands; default {@code <type>-commands}
 * @param events the event log, kept forever; default {@code <type>-events}
 * @param snapshots the latest state per aggregate, compacted; default {@code <type>-snapshots}
 * @param commandResults one result per command; default {@code <type>-command-results}
 * @param deadLetters raw command records that could not be answered with a result; default {@code <type>-commands-dlq}
 * @param replies a copy of each result whose command names a reply partition, read by the gateway that owns it;
 *     default {@code <type>-replies}
 */
public record TopicNames(String commands, String events, String snapshots, String commandResults, String deadLetters,
                         String replies) {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /**
     * Validates every name against Kafka's topic name rules and refuses duplicates.
     *
     * @param commands where clients write commands
     * @param events the event log
     * @param snapshots the latest state per aggregate
     * @param commandResults one result per command
     * @param deadLetters unanswerable command records
     * @param replies copies of results, one partition per gateway
     * @throws NullPointerException if a name is {@code null}
     * @throws IllegalArgumentException if a name is not a legal Kafka topic name, or two are equal
     */
    public TopicNames {
        checkName(commands, "commands");
        checkName(events, "events");
        checkName(snapshots, "snapshots");
        checkName(commandResults, "commandResults");
        checkName(deadLetters, "deadLetters");
        checkName(replies, "replies");
        List<String> all = List.of(commands, events, snapshots, commandResults, deadLetters, replies);
        if (all.stream().distinct().count() != all.size()) {
            throw new IllegalArgumentException("topic names must differ from each other but were " + all);
        }
    }

    /**
     * The five names of earlier versions; the replies topic is named after the commands topic:
     * {@code invoice-commands} gives {@code invoice-replies}, any other name {@code <commands>-replies}.
     *
     * <pre>{@code
     * new TopicNames("invoice-commands", "invoice-events", "invoice-snapshots", "invoice-command-results",
     *         "invoice-commands-dlq").replies();   // "invoice-replies"
     * }</pre>
     *
     * @param commands where clients write commands
     * @param events the event log
     * @param snapshots the latest state per aggregate
     * @param commandResults one result per command
     * @param deadLetters unanswerable command records
     */
    public TopicNames(String commands, String events, String snapshots, String commandResults, String deadLetters) {
        this(commands, events, snapshots, commandResults, deadLetters, repliesAfter(commands));
    }

    private static String repliesAfter(String commands) {
        Objects.requireNonNull(commands, "commands topic name must not be null");
        String suffix = "-commands";
        return (commands.endsWith(suffix) && commands.length() > suffix.length()
                ? commands.substring(0, commands.length() - suffix.length()) : commands) + "-replies";
    }

    /**
     * The default names for an aggregate type.
     *
     * @param typeName the aggregate type's name, such as {@code invoice}
     * @return {@code <type>-commands}, {@code <type>-events}, {@code <type>-snapshots},
     *     {@code <type>-command-results}, {@code <type>-commands-dlq} and {@code <type>-replies}
     */
    public static TopicNames forType(String typeName) {
        return new TopicNames(typeName + "-commands", typeName + "-events", typeName + "-snapshots",
                typeName + "-command-results", typeName + "-commands-dlq", typeName + "-replies");
    }

    /**
     * Returns a copy with another commands topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withCommands(String name) {
        return new TopicNames(name, events, snapshots, commandResults, deadLetters, replies);
    }

    /**
     * Returns a copy with another events topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withEvents(String name) {
        return new TopicNames(commands, name, snapshots, commandResults, deadLetters, replies);
    }

    /**
     * Returns a copy with another snapshots topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withSnapshots(String name) {
        return new TopicNames(commands, events, name, commandResults, deadLetters, replies);
    }

    /**
     * Returns a copy with another command-results topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withCommandResults(String name) {
        return new TopicNames(commands, events, snapshots, name, deadLetters, replies);
    }

    /**
     * Returns a copy with another dead-letter topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withDeadLetters(String name) {
        return new TopicNames(commands, events, snapshots, commandResults, name, replies);
    }

    /**
     * Returns a copy with another replies topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withReplies(String name) {
        return new TopicNames(commands, events, snapshots, commandResults, deadLetters, name);
    }

    /**
     * All six names, commands first.
     *
     * @return the names in the order commands, events, snapshots, command results, dead letters, replies
     */
    public List<String> all() {
        return List.of(commands, events, snapshots, commandResults, deadLetters, replies);
    }

    /** Kafka's topic name rules, for every topic Eventfold names. */
    static void checkName(String name, String field) {
        Objects.requireNonNull(name, () -> field + " topic name must not be null");
        if (!LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(field + " topic name '" + name
                    + "' is not a legal Kafka topic name (1-249 of [a-zA-Z0-9._-])");
        }
    }
}
