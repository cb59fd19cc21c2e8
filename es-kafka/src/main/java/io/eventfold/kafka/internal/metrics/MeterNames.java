package io.eventfold.kafka.internal.metrics;

/**
 * The name of every meter Eventfold registers, and of their tags: written here once, listed with
 * their meaning in docs/operations.md (a test checks that every name is there).
 */
public final class MeterNames {

    /** Commands answered now, by aggregate type and result kind (duplicates are not in it). */
    public static final String COMMANDS = "eventfold.commands";
    /** Commands answered with the result remembered for their command id. */
    public static final String DUPLICATES = "eventfold.commands.duplicates";
    /** The time one command record takes in the command processor, whatever its end. */
    public static final String HANDLING = "eventfold.commands.handling";
    /** Events appended, by aggregate type. */
    public static final String EVENTS = "eventfold.events";
    /** Records sent to a dead-letter topic, by topic. */
    public static final String DEAD_LETTERS = "eventfold.dead.letters";
    /** Deadlines scheduled, cancelled and fired, by aggregate type. */
    public static final String DEADLINES = "eventfold.deadlines";
    /** Events still to replay by the partitions of a type that rebuild their snapshots in this instance. */
    public static final String REBUILD_REMAINING = "eventfold.snapshots.rebuild.remaining";
    /** Partitions of a type in this instance whose commands wait for their snapshots. */
    public static final String REBUILD_WAITING = "eventfold.snapshots.rebuild.waiting.partitions";
    /** Changelog offsets still to restore into a store, over its partitions restoring in this instance. */
    public static final String RESTORE_REMAINING = "eventfold.restore.remaining";
    /** Changelog records restored into a store. */
    public static final String RESTORED = "eventfold.restore.records";
    /** Commands a process manager sent, first sends and resends. */
    public static final String MANAGER_COMMANDS = "eventfold.process.commands";
    /** The results of its commands a process manager received, by kind. */
    public static final String MANAGER_RESULTS = "eventfold.process.results";
    /** Commands a gateway sent, from send to answer, by aggregate type and outcome. */
    public static final String GATEWAY_COMMANDS = "eventfold.gateway.commands";
    /** Commands a gateway waits for. */
    public static final String GATEWAY_PENDING = "eventfold.gateway.pending";
    /** Records a projection applied since its runner started. */
    public static final String PROJECTION_APPLIED = "eventfold.projection.applied";
    /** Records a projection passed over: of a type it does not know, under UnknownTypePolicy.SKIP. */
    public static final String PROJECTION_SKIPPED = "eventfold.projection.skipped";
    /** Records between a projection's position and the end of its topic. */
    public static final String PROJECTION_LAG = "eventfold.projection.lag";

    /** Tag: the aggregate type's name. */
    public static final String TYPE = "type";
    /** Tag: a result kind, lower case ({@code accepted}, {@code rejected}, {@code conflict}, {@code failed}). */
    public static final String KIND = "kind";
    /** Tag: a topic's name. */
    public static final String TOPIC = "topic";
    /** Tag: a deadline change ({@code scheduled}, {@code cancelled}, {@code fired}). */
    public static final String CHANGE = "change";
    /** Tag: a store's name. */
    public static final String STORE = "store";
    /** Tag: a process manager's name. */
    public static final String MANAGER = "manager";
    /** Tag: how a gateway's command ended: a result kind, {@code timeout} or {@code error}. */
    public static final String OUTCOME = "outcome";
    /** Tag: a projection's name. */
    public static final String PROJECTION = "projection";
    /** Tag on {@link #MANAGER_COMMANDS}: {@code first} or {@code resend}. */
    public static final String SEND = "send";

    private MeterNames() {
    }

    /**
     * An enum constant as a tag value: lower case, as Prometheus labels are written.
     *
     * @param value a result kind, a deadline change
     * @return e.g. {@code accepted}
     */
    public static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }
}
