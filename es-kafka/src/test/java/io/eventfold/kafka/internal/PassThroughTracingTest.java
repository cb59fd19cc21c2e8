package io.eventfold.kafka.internal;

import io.eventfold.kafka.EventfoldHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Without OpenTelemetry, an input's trace headers are copied onto its outputs as they are, in place of any they had. */
class PassThroughTracingTest {

    @Test
    void shouldCopyTheInputsTraceHeadersAndReplaceTheOutputsOwn() {
        Headers input = new RecordHeaders();
        EventfoldHeaders.put(input, EventfoldHeaders.TRACEPARENT, "not even W3C: copied as it is");
        EventfoldHeaders.put(input, EventfoldHeaders.TRACESTATE, "a=b");
        Headers output = new RecordHeaders();
        EventfoldHeaders.put(output, EventfoldHeaders.TRACEPARENT, "stale");

        try (TracedWork work = PassThroughTracing.INSTANCE.consume(Tracing.HANDLE, "t", input, true)) {
            work.putOn(output);
        }

        assertThat(output.headers(EventfoldHeaders.TRACEPARENT)).hasSize(1);
        assertThat(EventfoldHeaders.read(output, EventfoldHeaders.TRACEPARENT)).contains("not even W3C: copied as it is");
        assertThat(EventfoldHeaders.read(output, EventfoldHeaders.TRACESTATE)).contains("a=b");
    }

    @Test
    void shouldPutNothingWithoutATraceToContinue() {
        Headers output = new RecordHeaders();
        PassThroughTracing.INSTANCE.consume(Tracing.HANDLE, "t", new RecordHeaders(), true).putOn(output);
        PassThroughTracing.INSTANCE.send("t").putOn(output);

        assertThat(output.toArray()).isEmpty();
    }

    @Test
    void shouldRefuseAnOpenTelemetrySettingThatIsNotOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tracing.of("an SDK", "eventfold.tracing.opentelemetry"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventfold.tracing.opentelemetry")
                .hasMessageContaining("java.lang.String");
    }
}
