package io.eventfold.kafka.projection;

import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.kafka.internal.LogContext;
import io.eventfold.kafka.internal.RecordPosition;
import io.eventfold.kafka.internal.TracedWork;
import io.eventfold.kafka.internal.Tracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a projection's apply of a batch is seen as. A {@link Projection} applies a batch in one
 * call, so there is no apply of one event to time: the batch's fresh records are grouped by the
 * trace they carry ({@link EventfoldHeaders#TRACEPARENT}, the same on every event of a command)
 * and each group gets an {@link Tracing#APPLY} span, a child of that context, covering the call.
 * A command's trace so reaches its projections, with one span per command rather than per event;
 * records without a trace share one span, the root of a trace of its own. The spans are not made
 * current: several cover the same call.
 *
 * <p>The MDC names, around the call, where the batch's first fresh record is and, when every fresh
 * record is of one aggregate, that aggregate.
 */
final class ApplyTracing {

    /** A projection's apply of a batch. */
    @FunctionalInterface
    interface Apply {
        void run() throws Exception;
    }

    private static final Headers UNTRACED = new RecordHeaders();

    private final Tracing tracing;
    private final String projection;

    ApplyTracing(Tracing tracing, String projection) {
        this.tracing = tracing;
        this.projection = projection;
    }

    /**
     * Runs a batch's apply inside its spans and MDC keys; the spans are marked failed when it throws.
     *
     * @param records the polled records, which hold the fresh ones' headers
     * @param generation the generation applied to
     * @param fresh the deliveries applied, never empty
     * @param apply the projection's apply
     */
    <T> void apply(ConsumerRecords<String, byte[]> records, int generation, List<Delivery<T>> fresh, Apply apply) throws Exception {
        Map<RecordPosition, Headers> traced = traced(records);
        Map<String, List<Delivery<T>>> byTrace = new LinkedHashMap<>();
        Map<String, Headers> traceHeaders = new LinkedHashMap<>();
        for (Delivery<T> delivery : fresh) {
            Headers headers = traced.getOrDefault(position(delivery), UNTRACED);
            Header parent = headers.lastHeader(EventfoldHeaders.TRACEPARENT);
            String trace = parent == null ? "" : new String(parent.value(), StandardCharsets.UTF_8);
            byTrace.computeIfAbsent(trace, t -> new ArrayList<>()).add(delivery);
            traceHeaders.putIfAbsent(trace, headers);
        }
        List<TracedWork> spans = new ArrayList<>(byTrace.size());
        Delivery<T> first = fresh.get(0);
        try (LogContext ignored = LogContext.of(oneAggregate(fresh),
                null, position(first).toString())) {
            try {
                byTrace.forEach((trace, deliveries) -> spans.add(span(traceHeaders.get(trace), generation, deliveries, fresh.size())));
                apply.run();
            } catch (Exception | Error e) {
                spans.forEach(span -> span.failed(e.getClass().getName(), e.getMessage()));
                throw e;
            } finally {
                spans.forEach(TracedWork::close);
            }
        }
    }

    private <T> TracedWork span(Headers parent, int generation, List<Delivery<T>> deliveries, int batch) {
        Delivery<T> first = deliveries.get(0);
        TracedWork span = tracing.consume(Tracing.APPLY, first.topic(), parent, false);
        span.attribute(Tracing.PROJECTION, projection);
        span.attribute(Tracing.GENERATION, generation);
        span.attribute(Tracing.EVENTS, deliveries.size());
        span.attribute(Tracing.BATCH, batch);
        span.attribute(Tracing.AGGREGATE_ID, oneAggregate(deliveries));
        span.attribute(Tracing.SOURCE, position(first).toString());
        return span;
    }

    private static RecordPosition position(Delivery<?> delivery) {
        return new RecordPosition(delivery.topic(), delivery.partition(), delivery.offset());
    }

    /** The aggregate of every delivery, or null when they are of several. */
    private static <T> String oneAggregate(List<Delivery<T>> deliveries) {
        String aggregateId = deliveries.get(0).aggregateId();
        for (Delivery<T> delivery : deliveries) {
            if (!delivery.aggregateId().equals(aggregateId)) {
                return null;
            }
        }
        return aggregateId;
    }

    /** The headers of the records that carry a trace, by position. */
    private static Map<RecordPosition, Headers> traced(ConsumerRecords<String, byte[]> records) {
        Map<RecordPosition, Headers> traced = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Header parent = record.headers().lastHeader(EventfoldHeaders.TRACEPARENT);
            if (parent != null && parent.value() != null) {
                traced.put(RecordPosition.of(record), record.headers());
            }
        }
        return traced;
    }
}
