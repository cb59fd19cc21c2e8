package io.eventfold.kafka;

/**
 * What {@link TopicLayout#verify} does when a topic is replicated below production needs: fewer
 * than {@linkplain TopicRole#replicationFactor() 3 replicas}, or {@code min.insync.replicas} below
 * {@linkplain TopicRole#minInsyncReplicas() 2}. Every other problem of the layout is always refused.
 *
 * <p>The default, {@link #REFUSE_IF_ATTAINABLE}, refuses on a cluster that could give every topic
 * 3 replicas and only warns on a smaller one: a production cluster is held to the production
 * settings, while a single-broker development or test cluster (such as {@code EmbeddedKafka}),
 * where replication factor 1 is all there is, still starts.
 *
 * <pre>{@code
 * TopicLayout.of(invoices).withReplicationPolicy(ReplicationPolicy.REFUSE).verify(admin);
 * EventfoldStreams.start(props, ReplicationPolicy.WARN, invoices);   // a two-broker staging cluster
 * }</pre>
 */
public enum ReplicationPolicy {

    /** Refuse with a {@link TopicLayoutException} naming each topic, setting, actual and expected value. */
    REFUSE,

    /** Log each shortfall at WARN, with the same text, and go on. */
    WARN,

    /**
     * Refuse as {@link #REFUSE} when the cluster has at least as many brokers as the production
     * replication factor (3), so the settings can be met; warn as {@link #WARN} on a smaller
     * cluster. The default. The brokers counted are those that answer at the time of the check.
     */
    REFUSE_IF_ATTAINABLE;

    /**
     * Whether a shortfall is refused on a cluster of that many brokers.
     *
     * @param brokers the brokers of the cluster
     * @param replicationFactor the replication factor production needs
     */
    boolean refuses(int brokers, int replicationFactor) {
        return this == REFUSE || (this == REFUSE_IF_ATTAINABLE && brokers >= replicationFactor);
    }
}
