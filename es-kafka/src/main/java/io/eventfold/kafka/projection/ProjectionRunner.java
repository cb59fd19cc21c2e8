package io.eventfold.kafka.projection;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.core.Event;
import io.eventfold.core.Snapshot;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * Feeds the events (or snapshots) of one aggregate type to a {@link Projection}, on its own
 * thread, reading {@code read_committed} in a consumer group. Offsets are committed only after
 * the projection applied a batch, so every record is delivered at least once; a projection that
 * throws gets the same batch again after a pause. A record whose type this build does not know
 * stops the runner, or is skipped and reported: see {@link #onUnknownType}, {@link #failure()}
 * and {@link #skipped()}.
 *
 * <pre>{@code
 * ProjectionRunner<Event<InvoiceEvent>> runner =
 *     ProjectionRunner.forEvents(invoices, "localhost:9092", "invoice-list", invoiceList).start();
 * ...
 * runner.rebuild().join();   // reset the read model and read every event again
 * runner.close();
 * }</pre>
 *
 * @param <T> what the projection reads: {@code Event<E>} or {@code Snapshot<S>}
 */
public final class ProjectionRunner<T> implements AutoCloseable {

    private final ProjectionLoop<T> loop;

    private ProjectionRunner(ProjectionLoop<T> loop) {
        this.loop = loop;
    }

    /**
     * A runner that feeds the type's events, in version order per aggregate.
     *
     * @param type the aggregate type
     * @param bootstrapServers the brokers
     * @param groupId the consumer group: one per projection, kept across restarts
     * @param projection the read model
     * @param <E> the event type
     * @return a runner, not started
     */
    public static <E> ProjectionRunner<Event<E>> forEvents(AggregateType<?, E, ?> type, String bootstrapServers,
                                                          String groupId, Projection<Event<E>> projection) {
        return create(type.topics().events(), type.serdes().events().deserializer(), type.eventCodec(), bootstrapServers,
                groupId, projection);
    }

    /**
     * A runner that feeds the type's snapshots: the latest state after each accepted command.
     *
     * @param type the aggregate type
     * @param bootstrapServers the brokers
     * @param groupId the consumer group: one per projection, kept across restarts
     * @param projection the read model
     * @param <S> the state type
     * @return a runner, not started
     */
    public static <S> ProjectionRunner<Snapshot<S>> forSnapshots(AggregateType<?, ?, S> type, String bootstrapServers,
                                                                String groupId, Projection<Snapshot<S>> projection) {
        return create(type.topics().snapshots(), type.serdes().snapshots().deserializer(), type.stateCodec(), bootstrapServers,
                groupId, projection);
    }

    /**
     * Returns a runner with extra consumer settings (security, {@code max.poll.records}…).
     * {@code isolation.level} stays {@code read_committed} and automatic commits stay off.
     *
     * @param properties the settings
     * @return a new runner with the settings; this one is left unstarted
     */
    public ProjectionRunner<T> withConsumerProperties(Properties properties) {
        return new ProjectionRunner<>(loop.withConsumerProperties(properties));
    }

    /**
     * Returns a runner that treats records of a type this build does not know (written by a newer
     * build of the command topology) by a policy; the default is {@link UnknownTypePolicy#STOP}.
     *
     * <pre>{@code
     * runner.onUnknownType(UnknownTypePolicy.SKIP).start();
     * }</pre>
     *
     * @param policy stop at such a record, or skip and report it
     * @return a new runner with the policy; this one is left unstarted
     */
    public ProjectionRunner<T> onUnknownType(UnknownTypePolicy policy) {
        return new ProjectionRunner<>(loop.withUnknownTypePolicy(Objects.requireNonNull(policy, "policy must not be null")));
    }

    private static <T> ProjectionRunner<T> create(String topic, Deserializer<T> deserializer, JsonCodec<?> payloads,
                                                  String bootstrapServers, String groupId, Projection<T> projection) {
        Objects.requireNonNull(projection, "projection must not be null");
        Properties props = EventfoldConfig.readCommittedConsumer(bootstrapServers, groupId);
        BatchDecoder<T> decoder = new BatchDecoder<>(deserializer, payloads, UnknownTypePolicy.STOP, groupId);
        return new ProjectionRunner<>(new ProjectionLoop<>(topic, decoder, projection, props, Duration.ofSeconds(1)));
    }

    /**
     * Starts reading on the runner's thread, from the group's committed offsets (the beginning
     * for a new group).
     *
     * @return this runner
     * @throws IllegalStateException if already started
     */
    public ProjectionRunner<T> start() {
        loop.start();
        return this;
    }

    /**
     * Resets the projection and reads every record again from offset 0.
     *
     * @return completes when the projection was reset and reading restarted from the beginning
     */
    public CompletableFuture<Void> rebuild() {
        return loop.requestRebuild();
    }

    /**
     * How many committed records are past the runner's fetch position, summed over its
     * partitions: records it has not fetched yet. A batch being applied (or retried) is not
     * counted; {@link #applied()} tells whether it went through.
     *
     * @return the lag, or -1 until it is known for every assigned partition
     */
    public long lag() {
        return loop.lag();
    }

    /**
     * How many records the projection has applied since this runner started (redeliveries included).
     *
     * @return the count
     */
    public long applied() {
        return loop.applied();
    }

    /**
     * How many records of an unknown type were passed over under {@link UnknownTypePolicy#SKIP}
     * since this runner started (redeliveries included); each is logged with its
     * {@code topic-partition@offset}, aggregate, version and type.
     *
     * @return the count
     */
    public long skipped() {
        return loop.skipped();
    }

    /**
     * Whether the runner reads: started, and neither closed nor stopped by an error.
     *
     * @return true while its thread runs
     */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /**
     * Why the runner stopped on its own: a {@link ProjectionStoppedException} at a record of an
     * unknown type under {@link UnknownTypePolicy#STOP}, or the error that ended its thread. Check
     * it from a health check: a stopped runner reads nothing more until it is replaced.
     *
     * <pre>{@code
     * boolean healthy = runner.isRunning();
     * String why = runner.failure().map(Throwable::getMessage).orElse("");
     * }</pre>
     *
     * @return the error; empty while running, before the start and after {@link #close()}
     */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(loop.failure());
    }

    /** Stops the thread after its current batch and closes the consumer. Uncommitted batches come again next time. */
    @Override
    public void close() {
        loop.close();
    }
}
