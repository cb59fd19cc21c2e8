package io.eventfold.kafka.internal;

import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.common.header.Headers;

import java.util.Map;

/**
 * How the gateway, the command topology, the process managers and the projection runners trace:
 * chosen once for each, by {@link #of}. Without OpenTelemetry ({@link PassThroughTracing}) a
 * command record's {@link EventfoldHeaders#TRACEPARENT} and {@link EventfoldHeaders#TRACESTATE}
 * are copied onto its outputs as they are; with it ({@code OpenTelemetryTracing}) each step is a
 * span whose context the outputs carry.
 *
 * <p>No type of this interface, of {@link TracedWork} or of {@link PassThroughTracing} names an
 * OpenTelemetry type: they are loaded whether or not the API is on the class path. The classes
 * that do are loaded only once {@link #of} has found the API.
 *
 * <pre>{@code
 * Tracing tracing = Tracing.of(context.appConfigs().get(EventfoldConfig.OPEN_TELEMETRY_CONFIG), EventfoldConfig.OPEN_TELEMETRY_CONFIG);
 * try (TracedWork handle = tracing.consume(Tracing.HANDLE, commandsTopic, record.headers(), true)) { ... }
 * }</pre>
 */
public interface Tracing {

    /** The gateway's span of a command, from the send until its result (or failure). */
    String SEND = "send";
    /** The command topology's span of one command record. */
    String HANDLE = "handle";
    /** A process manager's span of one input, an event or the result of a command it sent. */
    String REACT = "react";
    /** A projection runner's span of a batch's events of one trace. */
    String APPLY = "apply";

    /** Attribute: the aggregate type's name. */
    String AGGREGATE_TYPE = "eventfold.aggregate.type";
    /** Attribute: the aggregate id. */
    String AGGREGATE_ID = "eventfold.aggregate.id";
    /** Attribute: the command id. */
    String COMMAND_ID = "eventfold.command.id";
    /** Attribute: the result kind of a command, {@code ACCEPTED}, {@code REJECTED}, {@code CONFLICT} or {@code FAILED}. */
    String RESULT_KIND = "eventfold.result.kind";
    /** Attribute: where the record is, {@code topic-partition@offset}. */
    String SOURCE = "eventfold.source";
    /** Attribute: the process manager's name. */
    String PROCESS_MANAGER = "eventfold.process_manager";
    /** Attribute: the projection's name. */
    String PROJECTION = "eventfold.projection.name";
    /** Attribute: the projection generation a batch went into. */
    String GENERATION = "eventfold.projection.generation";
    /** Attribute: how many of the batch's events (of this trace) the span covers. */
    String EVENTS = "eventfold.projection.events";
    /** Attribute: how many events the whole batch applied. */
    String BATCH = "eventfold.projection.batch";

    /** The class whose presence says the OpenTelemetry API is on the class path. */
    String API_CLASS = "io.opentelemetry.api.GlobalOpenTelemetry";

    /**
     * The tracing for an {@code OpenTelemetry} instance, or the default when it is null:
     * {@code GlobalOpenTelemetry} when the API is on the class path, else pass-through.
     *
     * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry}, or null
     * @param setting where it came from, for the error message (e.g. {@link EventfoldConfig#OPEN_TELEMETRY_CONFIG})
     * @return the tracing
     * @throws IllegalArgumentException when {@code openTelemetry} is something else
     */
    static Tracing of(Object openTelemetry, String setting) {
        boolean present = apiPresent();
        if (openTelemetry == null) {
            return present ? OpenTelemetryTracing.global() : PassThroughTracing.INSTANCE;
        }
        if (!present) {
            throw new IllegalArgumentException(setting + " must be an io.opentelemetry.api.OpenTelemetry, but the"
                    + " OpenTelemetry API is not on the class path (it holds a " + openTelemetry.getClass().getName() + ")");
        }
        return OpenTelemetryTracing.of(openTelemetry, setting);
    }

    /**
     * The tracing of a topology processor: the instance under {@link EventfoldConfig#OPEN_TELEMETRY_CONFIG}, or the default.
     *
     * @param appConfigs the application's configs, as Kafka Streams hands them to a processor
     * @return the tracing
     */
    static Tracing of(Map<String, Object> appConfigs) {
        return of(appConfigs.get(EventfoldConfig.OPEN_TELEMETRY_CONFIG), EventfoldConfig.OPEN_TELEMETRY_CONFIG);
    }

    /**
     * Whether the OpenTelemetry API can be loaded, without initialising it.
     *
     * @return true when {@link #API_CLASS} is on the class path of es-kafka, of API 1.57 or later
     */
    static boolean apiPresent() {
        try {
            Class<?> global = Class.forName(API_CLASS, false, Tracing.class.getClassLoader());
            // Eventfold reads the global instance without fixing it (isSet, getOrNoop: API 1.57 and later);
            // an older API is treated as absent rather than failing in every span.
            global.getMethod("isSet");
            global.getMethod("getOrNoop");
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError absent) {
            return false;
        }
    }

    /**
     * The span of a send, a child of the caller's current context; not made current. Its context
     * goes into the command record's headers with {@link TracedWork#putOn}.
     *
     * @param topic the commands topic
     * @return the work, to end when the result arrives
     */
    TracedWork send(String topic);

    /**
     * The span of the work on one input record, a child of the trace its headers carry.
     *
     * @param name {@link #HANDLE}, {@link #REACT} or {@link #APPLY}
     * @param topic the input's topic
     * @param input the input record's headers
     * @param current whether the span is the thread's current one until closed (close it on this thread then)
     * @return the work, to close when done
     */
    TracedWork consume(String name, String topic, Headers input, boolean current);
}
