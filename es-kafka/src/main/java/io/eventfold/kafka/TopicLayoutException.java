package io.eventfold.kafka;

import org.apache.kafka.common.KafkaException;

import java.util.List;

/**
 * The topics of an aggregate type are missing or configured in a way that would break its
 * guarantees. The message lists every problem found, one per line.
 *
 * <pre>{@code
 * try {
 *     TopicLayout.of(invoices).verify(admin);
 * } catch (TopicLayoutException e) {
 *     e.problems().forEach(log::error);
 * }
 * }</pre>
 */
public class TopicLayoutException extends KafkaException {

    private static final long serialVersionUID = 1L;

    /** The problems, kept as strings so the exception stays serializable. */
    private final List<String> problems;

    /**
     * Creates an exception from a non-empty list of problems.
     *
     * @param problems what is wrong, one sentence each
     */
    public TopicLayoutException(List<String> problems) {
        super("the topic layout is not usable:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found.
     *
     * @return the problems, one sentence each
     */
    public List<String> problems() {
        return problems;
    }
}
