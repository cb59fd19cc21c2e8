package io.eventfold.kafka.internal;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.StoreNames;
import io.eventfold.kafka.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import io.eventfold.core.Command;
import io.eventfold.core.CommandEngine;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.Outcome;
import io.eventfold.core.Snapshot;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one processor per aggregate type. Per command record: decode, deduplicate, load the
 * snapshot, let the {@link CommandEngine} decide, store, forward. It holds no business rule.
 *
 * <p>Every output is encoded here, before any store is touched, so that a payload Jackson cannot
 * write becomes a {@code Failed} result rather than an exception that stops the stream thread.
 * Under {@code exactly_once_v2} the store writes and the forwarded records of one command commit
 * atomically with the input offset.
 */
public final class CommandProcessor<C, E, S> implements Processor<String, byte[], String, Routed> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
    private static final Duration MAX_EXPIRY_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_EXPIRED_PER_PUNCTUATION = 10_000;
    /** Room for the key, the headers and the record batch around a value. */
    private static final int RECORD_OVERHEAD_BYTES = 16 * 1024;
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    private final AggregateType<C, E, S> type;
    private final TopicNames topics;
    private final CommandEngine<C, E, S> engine;
    private final EnvelopeJson<C, E, S> json;

    private ProcessorContext<String, Routed> context;
    private int maxValueBytes;
    private KeyValueStore<String, byte[]> snapshots;
    private CommandIds commandIds;

    public CommandProcessor(AggregateType<C, E, S> type) {
        this.type = type;
        this.topics = type.topics();
        this.engine = type.engine();
        this.json = new EnvelopeJson<>(type.commandCodec(), type.eventCodec(), type.stateCodec());
    }

    /** How often expired command ids are removed: a tenth of the retention, at most a minute. */
    public static Duration expiryInterval(Duration retention) {
        Duration tenth = retention.dividedBy(10);
        Duration atLeastOneMs = tenth.isZero() ? Duration.ofMillis(1) : tenth;
        return atLeastOneMs.compareTo(MAX_EXPIRY_INTERVAL) > 0 ? MAX_EXPIRY_INTERVAL : atLeastOneMs;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.snapshots = context.getStateStore(StoreNames.snapshots(type));
        this.commandIds = new CommandIds(context.getStateStore(StoreNames.commandIds(type)));
        this.maxValueBytes = maxRequestSize(context.appConfigs()) - RECORD_OVERHEAD_BYTES;
        long retentionMs = type.commandIdRetention().toMillis();
        context.schedule(expiryInterval(type.commandIdRetention()), PunctuationType.WALL_CLOCK_TIME, now -> {
            int expired = commandIds.expireBefore(now - retentionMs, MAX_EXPIRED_PER_PUNCTUATION);
            if (expired > 0) {
                LOG.debug("{}: forgot {} command ids handled before {}", type.name(), expired, Instant.ofEpochMilli(now - retentionMs));
            }
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        DecodedCommand<C> decoded = DecodedCommand.decode(json, record.value(), header(record.headers(), EventfoldHeaders.COMMAND_ID));
        String key = record.key();
        if (key == null || key.isBlank()) {
            handleMissingKey(record, decoded, key == null ? "record has no key" : "record key is blank");
            return;
        }
        if (decoded.commandId() == null) {
            deadLetter(record, decoded.error(), "no command id in the envelope or the " + EventfoldHeaders.COMMAND_ID + " header");
            return;
        }
        Optional<byte[]> earlier = commandIds.result(key, decoded.commandId());
        if (earlier.isPresent()) {
            CommandResult<E, S> original = readableOrNull(earlier.get());
            if (!stateChangeLost(key, original)) {
                forwardResult(record, key, decoded.commandId(), earlier.get(), true, original);
                return;
            }
            LOG.warn("{}: command {} for aggregate {} at {} was accepted at version {}, but the stored snapshot is older"
                    + " (a crash under at_least_once?): handling it again", type.name(), decoded.commandId(), key, source(),
                    original.version());
        }
        CommandResult<E, S> failure = rejectUnusable(record, key, decoded);
        if (failure != null) {
            answer(record, key, failure);
            return;
        }
        handle(record, key, decoded.command());
    }

    private CommandResult<E, S> rejectUnusable(Record<String, byte[]> record, String key, DecodedCommand<C> decoded) {
        if (decoded.error() != null) {
            long version = currentVersionOrZero(key);
            warn(record, key, decoded.commandId(), "cannot decode command: " + decoded.error().getMessage());
            return new CommandResult.Failed<>(decoded.commandId(), key, version,
                    decoded.error().getClass().getName(), decoded.error().getMessage());
        }
        if (!decoded.command().aggregateId().equals(key)) {
            String message = "record key '" + key + "' does not match the envelope's aggregateId '"
                    + decoded.command().aggregateId() + "'";
            warn(record, key, decoded.commandId(), message);
            return new CommandResult.Failed<>(decoded.commandId(), key, currentVersionOrZero(key),
                    EnvelopeFormatException.class.getName(), message);
        }
        return null;
    }

    private void handle(Record<String, byte[]> record, String key, Command<C> command) {
        Snapshot<S> current;
        try {
            current = loadSnapshot(key);
        } catch (RuntimeException e) {
            LOG.error("{}: the stored snapshot of aggregate {} cannot be read, so none of its commands can be handled"
                    + " (command {} at {}): {}", type.name(), key, command.commandId(), source(), e.getMessage());
            answer(record, key, new CommandResult.Failed<>(command.commandId(), key, 0, e.getClass().getName(),
                    "the stored snapshot of '" + key + "' cannot be read: " + e.getMessage()));
            return;
        }
        Outcome<E, S> outcome = engine.handle(current, command, Instant.ofEpochMilli(record.timestamp()));
        EnvelopeJson.Written encoded;
        try {
            encoded = encode(outcome);
        } catch (RuntimeException e) {
            warn(record, key, command.commandId(), "cannot encode the outcome: " + e.getMessage());
            answer(record, key, new CommandResult.Failed<>(command.commandId(), key, current.version(),
                    e.getClass().getName(), e.getMessage() == null ? "" : e.getMessage()));
            return;
        }
        if (outcome.result() instanceof CommandResult.Failed<E, S> failed) {
            warn(record, key, command.commandId(), "command failed: " + failed.errorType() + ": " + failed.message());
        }
        if (encoded.snapshot() != null) {
            snapshots.put(key, encoded.snapshot());
        }
        commandIds.remember(key, command.commandId(), encoded.result(), context.currentSystemTimeMs());
        for (int i = 0; i < outcome.events().size(); i++) {
            Event<E> event = outcome.events().get(i);
            Headers headers = outputHeaders(command.commandId(), event.version());
            headers.add(EventfoldHeaders.EVENT_TYPE, utf8(type.eventCodec().typeName(event.payload())));
            context.forward(new Record<>(key, new Routed(topics.events(), encoded.events().get(i)), record.timestamp(), headers));
        }
        if (encoded.snapshot() != null) {
            context.forward(new Record<>(key, new Routed(topics.snapshots(), encoded.snapshot()), record.timestamp(),
                    outputHeaders(command.commandId(), outcome.snapshot().version())));
        }
        forwardResult(record, key, command.commandId(), encoded.result(), false, outcome.result());
    }

    /** Answers a command that changes nothing: remember its result and send it. */
    private void answer(Record<String, byte[]> record, String key, CommandResult<E, S> result) {
        byte[] bytes = json.writeResult(result);
        commandIds.remember(key, result.commandId(), bytes, context.currentSystemTimeMs());
        forwardResult(record, key, result.commandId(), bytes, false, result);
    }

    private void handleMissingKey(Record<String, byte[]> record, DecodedCommand<C> decoded, String problem) {
        String aggregateId = decoded.envelopeAggregateId();
        if (decoded.commandId() == null || aggregateId == null || aggregateId.isBlank()) {
            deadLetter(record, decoded.error(), problem + " and the envelope names no "
                    + (decoded.commandId() == null ? "command id" : "aggregate id"));
            return;
        }
        // Not remembered for deduplication: without a key the record sits on an arbitrary
        // partition, whose stores do not own this aggregate.
        String message = problem + ": commands must be keyed by their aggregate id ('" + aggregateId + "')";
        warn(record, aggregateId, decoded.commandId(), message);
        CommandResult<E, S> result = new CommandResult.Failed<>(decoded.commandId(), aggregateId, 0,
                EnvelopeFormatException.class.getName(), message);
        forwardResult(record, aggregateId, decoded.commandId(), json.writeResult(result), false, result);
    }

    private void forwardResult(Record<String, byte[]> record, String key, String commandId, byte[] bytes,
                               boolean duplicate, CommandResult<E, S> result) {
        Headers headers = new RecordHeaders();
        headers.add(EventfoldHeaders.COMMAND_ID, utf8(commandId));
        if (result != null) {
            headers.add(EventfoldHeaders.VERSION, utf8(Long.toString(result.version())));
            headers.add(EventfoldHeaders.RESULT_KIND, utf8(result.kind().name()));
        }
        if (duplicate) {
            headers.add(EventfoldHeaders.DUPLICATE, utf8("true"));
            LOG.debug("{}: duplicate command {} for {} at {}: re-sent its result", type.name(), commandId, key, source());
        }
        context.forward(new Record<>(key, new Routed(topics.commandResults(), bytes), record.timestamp(), headers));
    }

    private void deadLetter(Record<String, byte[]> record, RuntimeException error, String problem) {
        String reason = error == null ? problem : problem + "; " + error.getMessage();
        LOG.warn("{}: command record at {} sent to {}: {}", type.name(), source(), topics.deadLetters(), reason);
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(EventfoldHeaders.ERROR, utf8(reason));
        headers.add(EventfoldHeaders.ERROR_TYPE, utf8((error == null ? EnvelopeFormatException.class : error.getClass()).getName()));
        headers.add(EventfoldHeaders.SOURCE, utf8(source()));
        context.forward(new Record<>(record.key(), new Routed(topics.deadLetters(), record.value()), record.timestamp(), headers));
    }

    /**
     * Whether a remembered command changed the state to a version the snapshot store does not hold.
     * Under exactly_once_v2 both stores commit together and this never happens. Under
     * at_least_once the command-id store, which has no cache, can reach its changelog before the
     * cached snapshot does; after a crash in between, the command is handled again rather than
     * answered from memory, so the state change is repeated instead of lost.
     */
    private boolean stateChangeLost(String key, CommandResult<E, S> original) {
        if (!(original instanceof CommandResult.Accepted<E, S> accepted) || accepted.events().isEmpty()) {
            return false;
        }
        try {
            return accepted.version() > loadSnapshot(key).version();
        } catch (RuntimeException unreadable) {
            // Handling it again could only fail and overwrite the remembered result; answer from memory.
            return false;
        }
    }

    /** A stored result for its headers; one that no longer decodes is re-sent all the same, without them. */
    private CommandResult<E, S> readableOrNull(byte[] result) {
        try {
            return json.readResult(result);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private Snapshot<S> loadSnapshot(String key) {
        byte[] stored = snapshots.get(key);
        return stored == null ? Snapshot.initial(key, engine.aggregate()) : json.readSnapshot(stored);
    }

    private long currentVersionOrZero(String key) {
        try {
            return loadSnapshot(key).version();
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    private EnvelopeJson.Written encode(Outcome<E, S> outcome) {
        EnvelopeJson.Written written = json.writeOutcome(outcome.events(), outcome.changed() ? outcome.snapshot() : null,
                outcome.result());
        for (int i = 0; i < written.events().size(); i++) {
            fitting(written.events().get(i), "event version " + outcome.events().get(i).version());
        }
        if (written.snapshot() != null) {
            fitting(written.snapshot(), "snapshot");
        }
        fitting(written.result(), "result");
        return written;
    }

    /**
     * Refuses an output the producer would refuse: under exactly-once that would abort the
     * transaction and fail the same command again after every restart.
     */
    private void fitting(byte[] value, String what) {
        if (value.length > maxValueBytes) {
            throw new RecordTooLargeException("the " + what + " would be " + value.length + " bytes, over the "
                    + maxValueBytes + " bytes that fit a record (max.request.size less headroom); nothing was applied");
        }
    }

    static int maxRequestSize(Map<String, Object> configs) {
        Object configured = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (configured == null) {
            configured = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        if (configured == null) {
            return DEFAULT_MAX_REQUEST_SIZE;
        }
        return configured instanceof Number number ? number.intValue() : Integer.parseInt(configured.toString().trim());
    }

    private Headers outputHeaders(String commandId, long version) {
        Headers headers = new RecordHeaders();
        headers.add(EventfoldHeaders.COMMAND_ID, utf8(commandId));
        headers.add(EventfoldHeaders.VERSION, utf8(Long.toString(version)));
        return headers;
    }

    private void warn(Record<String, byte[]> record, String aggregateId, String commandId, String message) {
        LOG.warn("{}: command {} for aggregate {} at {}: {}", type.name(), commandId, aggregateId, source(), message);
    }

    private String source() {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        return metadata.map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("(punctuation)");
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        return value.isBlank() ? null : value;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** What could be read of a command record: the command, or the error and whatever ids were readable. */
    record DecodedCommand<C>(Command<C> command, RuntimeException error, String commandId, String envelopeAggregateId) {

        static <C> DecodedCommand<C> decode(EnvelopeJson<C, ?, ?> json, byte[] value, String headerCommandId) {
            JsonNode tree = null;
            try {
                tree = json.readTree(value, "command");
                Command<C> command = json.readCommand(tree);
                return new DecodedCommand<>(command, null, command.commandId(), command.aggregateId());
            } catch (RuntimeException e) {
                String envelopeCommandId = EnvelopeJson.textOrNull(tree, EnvelopeJson.Fields.COMMAND_ID);
                String commandId = envelopeCommandId != null && !envelopeCommandId.isBlank() ? envelopeCommandId : headerCommandId;
                return new DecodedCommand<>(null, e, commandId, EnvelopeJson.textOrNull(tree, EnvelopeJson.Fields.AGGREGATE_ID));
            }
        }
    }
}
