package io.eventfold.kafka.internal;

import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Tracing without OpenTelemetry: no span; the trace headers of an input record are copied, bytes
 * as they are, onto each output of its work, so the trace a caller started goes on past the topology.
 */
final class PassThroughTracing implements Tracing {

    static final PassThroughTracing INSTANCE = new PassThroughTracing();

    private PassThroughTracing() {
    }

    /** Nothing to send: without OpenTelemetry the gateway knows no current trace. */
    @Override
    public TracedWork send(String topic) {
        return TracedWork.NONE;
    }

    @Override
    public TracedWork consume(String name, String topic, Headers input, boolean current) {
        Header parent = input.lastHeader(EventfoldHeaders.TRACEPARENT);
        if (parent == null || parent.value() == null) {
            return TracedWork.NONE;
        }
        Header state = input.lastHeader(EventfoldHeaders.TRACESTATE);
        return new Copy(parent.value(), state == null ? null : state.value());
    }

    /** Copies an input's trace headers; nothing else to do without spans. */
    private static final class Copy implements TracedWork {

        private final byte[] traceparent;
        private final byte[] tracestate;

        Copy(byte[] traceparent, byte[] tracestate) {
            this.traceparent = traceparent;
            this.tracestate = tracestate;
        }

        @Override
        public void putOn(Headers headers) {
            headers.remove(EventfoldHeaders.TRACEPARENT);
            headers.remove(EventfoldHeaders.TRACESTATE);
            headers.add(EventfoldHeaders.TRACEPARENT, traceparent);
            if (tracestate != null) {
                headers.add(EventfoldHeaders.TRACESTATE, tracestate);
            }
        }

    }
}
