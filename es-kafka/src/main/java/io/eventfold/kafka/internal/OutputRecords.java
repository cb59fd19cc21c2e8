package io.eventfold.kafka.internal;

import java.util.List;

import io.eventfold.core.CommandResult;
import io.eventfold.core.DeadlineChange;
import io.eventfold.core.ErrorText;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.TopicNames;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The records the command topology writes, with their headers: each output's topic, key and
 * headers are decided here and nowhere else.
 *
 * <p>The event, snapshot and result records of a command carry the trace headers of its handling
 * ({@link #handling(TracedWork)}); a dead letter keeps those of the record it copies; a deadline's
 * command, sent from a punctuation, has none (it starts a trace of its own).
 */
final class OutputRecords {

    /** W3C bounds tracestate to 512 characters; a traceparent is 55. */
    private static final int MAX_TRACE_HEADER_BYTES = 512;

    private final TopicNames topics;
    /** The handling of the command record being processed; NONE outside of it (punctuations). */
    private TracedWork handling = TracedWork.NONE;

    OutputRecords(TopicNames topics) {
        this.topics = topics;
    }

    /**
     * The work on the command record now processed, until it is done ({@link TracedWork#NONE}):
     * the outputs built meanwhile continue its trace, and it learns their result kind.
     */
    void handling(TracedWork work) {
        this.handling = work;
    }

    /** An event record; the last one of a command lists the deadlines its decision changed. */
    Record<String, Routed> event(String aggregateId, String commandId, long version, String eventType, byte[] value,
                                 long timestamp, Provenance provenance, List<DeadlineChange> deadlines) {
        Headers headers = versioned(commandId, version);
        provenance(headers, commandId, provenance);
        EventfoldHeaders.put(headers, EventfoldHeaders.EVENT_TYPE, eventType);
        EventfoldHeaders.putDeadlineChanges(headers, deadlines);
        handling.putOn(headers);
        return new Record<>(aggregateId, new Routed(topics.events(), value), timestamp, headers);
    }

    /**
     * The command a due deadline sends, to the commands topic: its envelope (which carries the
     * correlation id and metadata) as encoded when it was scheduled, partitioned by its key like
     * every command, so the partition that scheduled it handles it.
     */
    Record<String, Routed> deadlineCommand(String aggregateId, String commandId, String deadlineId, byte[] envelope,
                                           long timestamp, boolean heldBack) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, commandId);
        EventfoldHeaders.put(headers, EventfoldHeaders.DEADLINE, deadlineId);
        if (heldBack) {
            EventfoldHeaders.put(headers, EventfoldHeaders.DEADLINE_HELD_BACK, "true");
        }
        return new Record<>(aggregateId, new Routed(topics.commands(), envelope), timestamp, headers);
    }

    /** A snapshot record; {@code provenance} null for one that no command made now (a rebuilt one). */
    Record<String, Routed> snapshot(String aggregateId, String commandId, long version, byte[] value, long timestamp,
                                    Provenance provenance) {
        Headers headers = versioned(commandId, version);
        provenance(headers, commandId, provenance);
        handling.putOn(headers);
        return new Record<>(aggregateId, new Routed(topics.snapshots(), value), timestamp, headers);
    }

    /**
     * A result record, marked as a duplicate when it answers a command handled before;
     * {@code provenance} null when the command could not be read, or was not handled now.
     */
    Record<String, Routed> result(String aggregateId, String commandId, byte[] value, CommandResult<?, ?> result,
                                  boolean duplicate, long timestamp, Provenance provenance) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, commandId);
        provenance(headers, commandId, provenance);
        EventfoldHeaders.put(headers, EventfoldHeaders.VERSION, Long.toString(result.version()));
        EventfoldHeaders.put(headers, EventfoldHeaders.RESULT_KIND, result.kind().name());
        if (duplicate) {
            EventfoldHeaders.markDuplicate(headers);
        }
        handling.putOn(headers);
        handling.attribute(Tracing.RESULT_KIND, result.kind().name());
        if (result instanceof CommandResult.Failed<?, ?> failed) {
            handling.failed(failed.errorType(), failed.message());
        }
        return new Record<>(aggregateId, new Routed(topics.commandResults(), value), timestamp, headers);
    }

    /** A copy of a result record for the gateway at the reply address: same key, value and headers. */
    Record<String, Routed> reply(Record<String, Routed> result, ReplyAddress address) {
        return new Record<>(result.key(), new Routed(address.topic(), result.value().value(), address.partition()),
                result.timestamp(), new RecordHeaders(result.headers().toArray()));
    }

    /** The command record as it came, with the reason, the error type and its source added. */
    Record<String, Routed> deadLetter(Record<String, byte[]> command, String errorType, String reason, String source) {
        handling.failed(errorType, reason);
        return deadLetter(topics.deadLetters(), command, errorType, reason, source);
    }

    /** A dead letter in place of a command record too large to copy, see {@link #deadLetterInPlaceOf(String, Record, String, String, String)}. */
    Record<String, Routed> deadLetterInPlaceOf(Record<String, byte[]> command, String errorType, String reason, String source) {
        return deadLetterInPlaceOf(topics.deadLetters(), command, errorType, reason, source);
    }

    /** An input record as it came, with the reason, the error type and its source added, to a dead-letter topic. */
    static Record<String, Routed> deadLetter(String topic, Record<String, byte[]> input, String errorType, String reason,
                                             String source) {
        Headers headers = new RecordHeaders(input.headers().toArray());
        addError(headers, errorType, reason, source);
        return new Record<>(input.key(), new Routed(topic, input.value()), input.timestamp(), headers);
    }

    /**
     * A dead letter in place of an input too large to copy: no key, no value, only the reason and
     * where the record is, for as long as its topic keeps it.
     */
    static Record<String, Routed> deadLetterInPlaceOf(String topic, Record<String, byte[]> input, String errorType, String reason,
                                                      String source) {
        Headers headers = new RecordHeaders();
        addError(headers, errorType, reason, source);
        // The trace goes on from here too, unless its own headers are what made the record too large.
        for (String trace : new String[] {EventfoldHeaders.TRACEPARENT, EventfoldHeaders.TRACESTATE}) {
            Header header = input.headers().lastHeader(trace);
            if (header != null && header.value() != null && header.value().length <= MAX_TRACE_HEADER_BYTES) {
                headers.add(trace, header.value());
            }
        }
        return new Record<>(null, new Routed(topic, null), input.timestamp(), headers);
    }

    /**
     * A command a process manager sends, to its target's commands topic, with the reply address
     * of the manager's replies topic; {@code reaction} is the manager's work on the input that
     * caused it, whose trace the command continues ({@link TracedWork#NONE} for a resend).
     */
    static Record<String, Routed> managerCommand(String topic, String aggregateId, String commandId, byte[] envelope,
                                                 String manager, ReplyAddress replyAddress, long timestamp,
                                                 TracedWork reaction) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, commandId);
        EventfoldHeaders.put(headers, EventfoldHeaders.PROCESS_MANAGER, manager);
        replyAddress.putOn(headers);
        reaction.putOn(headers);
        return new Record<>(aggregateId, new Routed(topic, envelope), timestamp, headers);
    }

    private static void addError(Headers headers, String errorType, String reason, String source) {
        EventfoldHeaders.put(headers, EventfoldHeaders.ERROR, ErrorText.bounded(reason));
        EventfoldHeaders.put(headers, EventfoldHeaders.ERROR_TYPE, ErrorText.bounded(errorType));
        EventfoldHeaders.put(headers, EventfoldHeaders.SOURCE, source);
    }

    /** The correlation id only when another command started the chain: otherwise it is the command-id header. */
    private static void provenance(Headers headers, String commandId, Provenance provenance) {
        if (provenance != null) {
            if (!provenance.correlationId().equals(commandId)) {
                EventfoldHeaders.put(headers, EventfoldHeaders.CORRELATION_ID, provenance.correlationId());
            }
            EventfoldHeaders.putMetadata(headers, provenance.metadata());
        }
    }

    private static Headers versioned(String commandId, long version) {
        Headers headers = new RecordHeaders();
        EventfoldHeaders.put(headers, EventfoldHeaders.COMMAND_ID, commandId);
        EventfoldHeaders.put(headers, EventfoldHeaders.VERSION, Long.toString(version));
        return headers;
    }
}
