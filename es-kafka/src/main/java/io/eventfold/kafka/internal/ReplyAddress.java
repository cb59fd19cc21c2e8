package io.eventfold.kafka.internal;

import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.common.header.Headers;

import java.util.Optional;
import java.util.Set;

/**
 * Where a command's sender reads its reply: a partition of the aggregate type's replies topic (a
 * gateway) or of a process manager's replies topic (the manager that sent it), as the command record's {@link EventfoldHeaders#REPLY_TOPIC} and
 * {@link EventfoldHeaders#REPLY_PARTITION} headers name it. The one reader and writer of those
 * headers.
 *
 * <pre>{@code
 * ReplyAddress.of(record.headers(), "invoice-replies")   // Optional[invoice-replies-3]
 * }</pre>
 *
 * @param topic the replies topic
 * @param partition the partition, {@code >= 0}
 */
public record ReplyAddress(String topic, int partition) {

    /**
     * Adds this address to a command record's headers.
     *
     * @param headers the command record's headers
     * @return {@code headers}, for chaining
     */
    public Headers putOn(Headers headers) {
        EventfoldHeaders.put(headers, EventfoldHeaders.REPLY_TOPIC, topic);
        return EventfoldHeaders.put(headers, EventfoldHeaders.REPLY_PARTITION, Integer.toString(partition));
    }

    /**
     * The address a command record carries, if it is one the topology writes to: a reply goes only
     * to the type's own replies topic, so a command cannot have results written to another topic.
     *
     * @param headers the command record's headers
     * @param repliesTopic the aggregate type's replies topic
     * @return the address; empty when the record names none, another topic, or no partition number {@code >= 0}
     */
    public static Optional<ReplyAddress> of(Headers headers, String repliesTopic) {
        return of(headers, Set.of(repliesTopic));
    }

    /**
     * The address a command record carries, if it names one of the topics the topology writes
     * replies to: the type's own replies topic, and those of the process managers that send it commands.
     *
     * @param headers the command record's headers
     * @param repliesTopics the topics replies may go to
     * @return the address; empty when the record names none, another topic, or no partition number {@code >= 0}
     */
    public static Optional<ReplyAddress> of(Headers headers, Set<String> repliesTopics) {
        Optional<String> topic = EventfoldHeaders.read(headers, EventfoldHeaders.REPLY_TOPIC);
        Optional<String> partition = EventfoldHeaders.read(headers, EventfoldHeaders.REPLY_PARTITION);
        if (topic.isEmpty() || partition.isEmpty() || !repliesTopics.contains(topic.get())) {
            return Optional.empty();
        }
        try {
            int number = Integer.parseInt(partition.get().trim());
            return number < 0 ? Optional.empty() : Optional.of(new ReplyAddress(topic.get(), number));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
