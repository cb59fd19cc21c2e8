package io.eventfold.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventfold.kafka.json.JsonCodec;
import io.eventfold.testkit.Check;

import java.io.IOException;
import java.util.Objects;

/** The {@link Check#JSON_ROUND_TRIP} check of one value, for every fixture. */
final class JsonRoundTrip {

    private JsonRoundTrip() {
    }

    /**
     * Fails unless {@code value} is equal to itself after a trip through JSON text.
     *
     * @param what "command", "event" or "state"
     * @param remedy how to switch the check off, the last line of the message
     */
    static <T> void check(String what, JsonCodec<T> codec, T value, String scenario, String remedy) {
        String typeName = codec.typeName(value);
        JsonNode json = codec.toJson(value);
        T back;
        try {
            // Through text, as on Kafka: a tree made from a value still holds Java types that bytes lose.
            back = codec.fromJson(typeName, codec.mapper().readTree(codec.mapper().writeValueAsBytes(json)));
        } catch (RuntimeException | IOException e) {
            throw Failures.failure("the " + what + " " + typeName + " cannot be read back from its JSON [check "
                    + Check.JSON_ROUND_TRIP + "]\n\n" + scenario + "\nWritten:\n  " + json + "\nRead back:\n  " + e.getMessage()
                    + "\n" + remedy);
        }
        if (!Objects.equals(value, back)) {
            throw Failures.failure("the " + what + " " + typeName + " changes in a JSON round trip [check " + Check.JSON_ROUND_TRIP
                    + "]\n\n" + scenario + "\nFirst difference: " + Diff.firstDifference(what, value, back).orElse("")
                    + "\nWritten:\n  " + json + "\nRead back:\n  " + Render.value(back) + "\n" + remedy, value, back);
        }
    }
}
