package io.eventfold.kafka;

import java.util.List;
import java.util.Objects;

/**
 * The topics of one process manager, named after it.
 *
 * <pre>{@code
 * ProcessManagerTopics topics = ProcessManagerTopics.forManager("invoice-accounts");
 * topics.replies();       // "invoice-accounts-replies"
 * topics.deadLetters();   // "invoice-accounts-dlq"
 * }</pre>
 *
 * @param replies where the results of the commands it sent come back, copied there by the target
 *     type's topology in the transaction that handles each command; as many partitions as the source
 *     type's events topic
 * @param deadLetters the source events (and results) the manager failed on, with the reason
 */
public record ProcessManagerTopics(String replies, String deadLetters) {

    /**
     * Validates the names.
     *
     * @param replies the replies topic
     * @param deadLetters the dead-letter topic
     * @throws NullPointerException if a name is {@code null}
     * @throws IllegalArgumentException if a name is not a legal topic name or both are the same
     */
    public ProcessManagerTopics {
        TopicNames.checkName(replies, "replies");
        TopicNames.checkName(deadLetters, "deadLetters");
        if (replies.equals(deadLetters)) {
            throw new IllegalArgumentException("a process manager's topics must differ but both are '" + replies + "'");
        }
    }

    /**
     * The default topics of a process manager.
     *
     * @param managerName the manager's name
     * @return {@code <name>-replies} and {@code <name>-dlq}
     */
    public static ProcessManagerTopics forManager(String managerName) {
        Objects.requireNonNull(managerName, "managerName must not be null");
        return new ProcessManagerTopics(managerName + "-replies", managerName + "-dlq");
    }

    /**
     * Both topics.
     *
     * @return replies, then dead letters
     */
    public List<String> all() {
        return List.of(replies, deadLetters);
    }
}
