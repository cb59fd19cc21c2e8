package io.eventfold.benchmarks.baseline;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.TopicNames;
import io.eventfold.kafka.json.EnvelopeSerdes;
import io.eventfold.examples.invoices.domain.Invoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand;
import io.eventfold.examples.invoices.domain.InvoiceEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The baseline topology on the same topics and JSON envelopes as Eventfold's: a source, a
 * {@link BaselineProcessor} with one persistent, cached snapshot store (as Eventfold's stores are),
 * and one sink per output topic.
 *
 * <pre>{@code
 * Topology baseline = BaselineTopology.of(Invoices.TYPE);
 * }</pre>
 */
public final class BaselineTopology {

    /** The snapshot store: aggregate id → latest snapshot. */
    public static final String SNAPSHOT_STORE = "baseline-snapshots";
    /** The command-id store of {@link #withDeduplication}: command id → result. */
    public static final String COMMAND_ID_STORE = "baseline-command-ids";
    static final String EVENTS_SINK = "events";
    static final String SNAPSHOTS_SINK = "snapshots";
    static final String RESULTS_SINK = "results";
    private static final String PROCESSOR = "baseline-processor";

    private BaselineTopology() {
    }

    /**
     * Builds the baseline over the topics and serdes of an invoice type.
     *
     * @param type names the topics and provides the JSON serdes
     * @return a new topology
     */
    public static Topology of(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type) {
        return build(type, false);
    }

    /**
     * The baseline that also answers a re-sent command id with its first result, from a second
     * persistent, cached store (command id → result) that is read before and written after every
     * command and never expired: what deduplication costs when written by hand.
     *
     * @param type names the topics and provides the JSON serdes
     * @return a new topology
     */
    public static Topology withDeduplication(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type) {
        return build(type, true);
    }

    private static Topology build(AggregateType<InvoiceCommand, InvoiceEvent, Invoice> type, boolean deduplicate) {
        TopicNames topics = type.topics();
        EnvelopeSerdes<InvoiceCommand, InvoiceEvent, Invoice> serdes = type.serdes();
        StringSerializer keys = new StringSerializer();
        Topology topology = new Topology();
        topology.addSource("commands", new StringDeserializer(), serdes.commands().deserializer(), topics.commands());
        topology.addProcessor(PROCESSOR, () -> new BaselineProcessor(deduplicate), "commands");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SNAPSHOT_STORE),
                Serdes.String(), serdes.snapshots()).withCachingEnabled(), PROCESSOR);
        if (deduplicate) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMAND_ID_STORE),
                    Serdes.String(), serdes.results()).withCachingEnabled(), PROCESSOR);
        }
        topology.addSink(EVENTS_SINK, topics.events(), keys, serdes.events().serializer(), PROCESSOR);
        topology.addSink(SNAPSHOTS_SINK, topics.snapshots(), keys, serdes.snapshots().serializer(), PROCESSOR);
        topology.addSink(RESULTS_SINK, topics.commandResults(), keys, serdes.results().serializer(), PROCESSOR);
        return topology;
    }
}
