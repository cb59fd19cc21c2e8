package io.eventfold.kafka.internal;

import io.eventfold.kafka.TwoBuilds;
import io.eventfold.kafka.json.JsonCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class UnknownTypesTest {

    private final JsonCodec<TwoBuilds.EventV1> events = JsonCodec.forSealed(TwoBuilds.EventV1.class);
    private final JsonCodec<TwoBuilds.Tally> state = JsonCodec.forClass(TwoBuilds.Tally.class);

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldNameTheTypeOfAnEventOrSnapshotThatTheCodecDoesNotKnow() {
        assertThat(UnknownTypes.inEnvelope(events, json("{\"aggregateId\":\"t-1\",\"version\":2,\"type\":\"LargeAddNoted\",\"payload\":{}}")))
                .containsExactly("LargeAddNoted");
        assertThat(UnknownTypes.inEnvelope(state, json("{\"aggregateId\":\"t-1\",\"version\":2,\"type\":\"TallyV2\",\"state\":{}}")))
                .containsExactly("TallyV2");
        assertThat(UnknownTypes.inEnvelope(events, json("{\"type\":\"Added\",\"payload\":{}}"))).isEmpty();
    }

    @Test
    void shouldNameEachUnknownTypeOfAResultOnce() {
        String result = "{\"kind\":\"ACCEPTED\",\"events\":[{\"type\":\"Added\"},{\"type\":\"LargeAddNoted\"},"
                + "{\"type\":\"LargeAddNoted\"}],\"stateType\":\"TallyV2\",\"state\":{}}";

        assertThat(UnknownTypes.inResult(events, state, json(result))).containsExactly("LargeAddNoted", "TallyV2");
        assertThat(UnknownTypes.inResult(events, state, json("{\"kind\":\"ACCEPTED\",\"eventCount\":2}"))).isEmpty();
    }

    @Test
    void shouldFindNothingInBytesThatAreNoEnvelope() {
        assertThat(UnknownTypes.inEnvelope(events, json("{\"type\":"))).isEmpty();
        assertThat(UnknownTypes.inEnvelope(events, json("[1,2]"))).isEmpty();
        assertThat(UnknownTypes.inEnvelope(events, new byte[0])).isEmpty();
        assertThat(UnknownTypes.inEnvelope(events, null)).isEmpty();
        assertThat(UnknownTypes.inResult(events, state, json("\"ACCEPTED\""))).isEmpty();
    }
}
