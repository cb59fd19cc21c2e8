package io.eventfold.kafka.internal;

import io.eventfold.core.ErrorText;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Tracing with OpenTelemetry: each step is a span, its parent read from the input's W3C headers
 * (or, for a send, the caller's current context), and its context written on the outputs. The
 * headers are always W3C Trace Context, whatever propagators the instance has: they are
 * Eventfold's record format, and so the no-op OpenTelemetry of an application without an SDK
 * still passes an input's trace on (its span wraps the parent's context).
 *
 * <p>The only class, with {@link Tracing#of}'s check before it, that names OpenTelemetry types.
 */
final class OpenTelemetryTracing implements Tracing {

    private static final String INSTRUMENTATION = "io.eventfold.kafka";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header header = headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private final Supplier<Tracer> tracer;

    private OpenTelemetryTracing(Supplier<Tracer> tracer) {
        this.tracer = tracer;
    }

    /** Traces with the instance given. */
    static Tracing of(Object openTelemetry, String setting) {
        if (!(openTelemetry instanceof OpenTelemetry instance)) {
            throw new IllegalArgumentException(setting + " must be an io.opentelemetry.api.OpenTelemetry but is a "
                    + openTelemetry.getClass().getName());
        }
        Tracer tracer = tracer(instance);
        return new OpenTelemetryTracing(() -> tracer);
    }

    /**
     * Traces with {@code GlobalOpenTelemetry}, looked up at each span until an application sets it:
     * asking with {@code get()} would fix the no-op one for good, and the application's later
     * {@code set} would fail.
     */
    static Tracing global() {
        return new OpenTelemetryTracing(new GlobalTracer());
    }

    private static Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.tracerBuilder(INSTRUMENTATION).build();
    }

    @Override
    public TracedWork send(String topic) {
        Span span = tracer.get().spanBuilder(SEND).setSpanKind(SpanKind.PRODUCER).setParent(Context.current())
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", topic)
                .startSpan();
        return new Work(span, null);
    }

    @Override
    public TracedWork consume(String name, String topic, Headers input, boolean current) {
        Context parent = W3C.extract(Context.root(), input, GETTER);
        Span span = tracer.get().spanBuilder(name).setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", topic)
                .startSpan();
        return new Work(span, current ? span.makeCurrent() : null);
    }

    /** One span, and the scope that makes it current if it is. */
    private static final class Work implements TracedWork {

        private final Span span;
        private final Scope scope;
        private boolean closed;

        Work(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        @Override
        public void putOn(Headers headers) {
            W3C.inject(Context.root().with(span), headers, SETTER);
        }

        @Override
        public void attribute(String key, String value) {
            if (value != null) {
                span.setAttribute(key, ErrorText.bounded(value));
            }
        }

        @Override
        public void attribute(String key, long value) {
            span.setAttribute(AttributeKey.longKey(key), value);
        }

        @Override
        public void failed(String errorType, String message) {
            span.setStatus(StatusCode.ERROR, ErrorText.bounded(errorType + (message == null ? "" : ": " + message)));
            span.setAttribute("error.type", ErrorText.bounded(errorType));
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (scope != null) {
                scope.close();
            }
            span.end();
        }
    }

    /** The global instance's tracer, fixed once the application has set one. */
    private static final class GlobalTracer implements Supplier<Tracer> {

        private volatile Tracer fixed;

        @Override
        public Tracer get() {
            Tracer known = fixed;
            if (known != null) {
                return known;
            }
            if (GlobalOpenTelemetry.isSet()) {
                fixed = tracer(GlobalOpenTelemetry.getOrNoop());
                return fixed;
            }
            return tracer(OpenTelemetry.noop());
        }
    }
}
