package io.eventfold.kafka;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The five topics of one aggregate type. By default every name derives from the type name;
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
 */
public record TopicNames(String commands, String events, String snapshots, String commandResults, String deadLetters) {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /**
     * Validates every name against Kafka's topic name rules and refuses duplicates.
     *
     * @param commands where clients write commands
     * @param events the event log
     * @param snapshots the latest state per aggregate
     * @param commandResults one result per command
     * @param deadLetters unanswerable command records
     * @throws NullPointerException if a name is {@code null}
     * @throws IllegalArgumentException if a name is not a legal Kafka topic name, or two are equal
     */
    public TopicNames {
        check(commands, "commands");
        check(events, "events");
        check(snapshots, "snapshots");
        check(commandResults, "commandResults");
        check(deadLetters, "deadLetters");
        List<String> all = List.of(commands, events, snapshots, commandResults, deadLetters);
        if (all.stream().distinct().count() != all.size()) {
            throw new IllegalArgumentException("topic names must differ from each other but were " + all);
        }
    }

    /**
     * The default names for an aggregate type.
     *
     * @param typeName the aggregate type's name, such as {@code invoice}
     * @return {@code <type>-commands}, {@code <type>-events}, {@code <type>-snapshots},
     *     {@code <type>-command-results} and {@code <type>-commands-dlq}
     */
    public static TopicNames forType(String typeName) {
        return new TopicNames(typeName + "-commands", typeName + "-events", typeName + "-snapshots",
                typeName + "-command-results", typeName + "-commands-dlq");
    }

    /**
     * Returns a copy with another commands topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withCommands(String name) {
        return new TopicNames(name, events, snapshots, commandResults, deadLetters);
    }

    /**
     * Returns a copy with another events topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withEvents(String name) {
        return new TopicNames(commands, name, snapshots, commandResults, deadLetters);
    }

    /**
     * Returns a copy with another snapshots topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withSnapshots(String name) {
        return new TopicNames(commands, events, name, commandResults, deadLetters);
    }

    /**
     * Returns a copy with another command-results topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withCommandResults(String name) {
        return new TopicNames(commands, events, snapshots, name, deadLetters);
    }

    /**
     * Returns a copy with another dead-letter topic.
     *
     * @param name the topic name
     * @return a copy
     */
    public TopicNames withDeadLetters(String name) {
        return new TopicNames(commands, events, snapshots, commandResults, name);
    }

    /**
     * All five names, commands first.
     *
     * @return the names in the order commands, events, snapshots, command results, dead letters
     */
    public List<String> all() {
        return List.of(commands, events, snapshots, commandResults, deadLetters);
    }

    private static void check(String name, String field) {
        Objects.requireNonNull(name, () -> field + " topic name must not be null");
        if (!LEGAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(field + " topic name '" + name
                    + "' is not a legal Kafka topic name (1-249 of [a-zA-Z0-9._-])");
        }
    }
}
