package io.eventfold.kafka;

/**
 * A part of an Eventfold application's topology: an {@link AggregateType}, whose commands it
 * handles, or a {@link ProcessManagerType}, which turns one type's events into another's commands.
 * {@link EventSourcedTopology}, {@link TopicLayout} and {@link EventfoldStreams} take any mix of them.
 *
 * <pre>{@code
 * KafkaStreams streams = EventfoldStreams.start(props, invoices, accounts, invoiceAccounts);
 * }</pre>
 */
public sealed interface TopologyPart permits AggregateType, ProcessManagerType {

    /**
     * The part's name, used in its topic, store and changelog names.
     *
     * @return the name
     */
    String name();
}
