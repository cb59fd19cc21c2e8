package io.eventfold.kafka.client;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * An aggregate's state lives in another instance of the application: the task that owns its
 * partition runs there. Route the query to {@link #activeHost()} (set
 * {@code application.server} on every instance so it is known).
 *
 * <pre>{@code
 * try {
 *     return store.get(invoiceId);
 * } catch (AggregateElsewhereException e) {
 *     return forwardTo(e.activeHost(), invoiceId);
 * }
 * }</pre>
 */
public class AggregateElsewhereException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The aggregate that was asked for. */
    private final String aggregateId;
    /** The active host's name, kept apart from the metadata so it survives serialization. */
    private final String host;
    /** The active host's port. */
    private final int port;
    /** Where the aggregate's partition is hosted; not serialized, it holds Kafka types. */
    private final transient KeyQueryMetadata metadata;

    /**
     * Creates the exception from the key's query metadata.
     *
     * @param aggregateId the aggregate asked for
     * @param metadata where its partition's active and standby tasks run
     */
    public AggregateElsewhereException(String aggregateId, KeyQueryMetadata metadata) {
        super("aggregate " + aggregateId + " (partition " + metadata.partition() + ") is hosted by "
                + metadata.activeHost().host() + ":" + metadata.activeHost().port() + ", not by this instance");
        this.aggregateId = aggregateId;
        this.host = metadata.activeHost().host();
        this.port = metadata.activeHost().port();
        this.metadata = metadata;
    }

    /**
     * The aggregate asked for.
     *
     * @return the aggregate id
     */
    public String aggregateId() {
        return aggregateId;
    }

    /**
     * The instance whose active task owns the aggregate, as its {@code application.server}.
     *
     * @return the host, {@code HostInfo.unavailable()} when instances do not set {@code application.server}
     */
    public HostInfo activeHost() {
        return new HostInfo(host, port);
    }

    /**
     * The full query metadata of the aggregate's key, including standby hosts.
     *
     * @return the metadata; {@code null} on a copy made by Java serialization
     */
    public KeyQueryMetadata metadata() {
        return metadata;
    }
}
