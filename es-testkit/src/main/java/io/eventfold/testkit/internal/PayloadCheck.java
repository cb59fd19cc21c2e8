package io.eventfold.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.json.JsonCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that one stored payload still fits its type: it reads strictly (no unknown field, no
 * missing constructor parameter, no null for a primitive), and the value read writes back to the
 * same JSON. Either failure names the field by its JSON pointer.
 *
 * @param <T> the payload type
 */
public final class PayloadCheck<T> {

    /** What a check found: the value read (null when it could not be read) and the problems. */
    public record Checked<T>(T value, List<String> problems) {
    }

    private final JsonCodec<T> codec;
    private final JsonCodec<T> strict;
    private final ObjectMapper mapper;

    public PayloadCheck(JsonCodec<T> codec) {
        this.codec = codec;
        this.mapper = codec.mapper();
        ObjectMapper strictMapper = codec.mapper().copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
        this.strict = JsonCodec.forClass(codec.type(), strictMapper);
    }

    /** Reads a payload strictly and writes it back; the problems name each field by its pointer. */
    public Checked<T> check(String typeName, JsonNode json) {
        List<String> problems = new ArrayList<>();
        String strictProblem = null;
        try {
            strict.fromJson(typeName, json);
        } catch (EnvelopeFormatException e) {
            strictProblem = describe(e);
        }
        T value;
        try {
            value = codec.fromJson(typeName, json);
        } catch (EnvelopeFormatException e) {
            problems.add(strictProblem != null ? strictProblem : describe(e));
            return new Checked<>(null, problems);
        }
        JsonNode written;
        try {
            written = normalize(codec.toJson(value));
        } catch (RuntimeException e) {
            problems.add("cannot be written back: " + e.getMessage());
            return new Checked<>(value, problems);
        }
        List<String> differences = JsonDiff.differences(normalize(json), written);
        String strictPointer = strictProblem == null ? null : pointerOf(strictProblem);
        if (strictProblem != null && differences.stream().noneMatch(found -> pointerOf(found).equals(strictPointer))) {
            problems.add(strictProblem);   // only when the write-back did not already name that field
        }
        problems.addAll(differences);
        return new Checked<>(value, problems);
    }

    /** Parses a tree's text again, so numbers compare by their text (an int 1500 and a decimal 1500 alike). */
    public JsonNode normalize(JsonNode json) {
        try {
            return mapper.readTree(mapper.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree as text", e);
        }
    }

    /** The strict reader's complaint, starting with the pointer of the field when Jackson names one. */
    private static String describe(EnvelopeFormatException e) {
        if (e.getCause() instanceof JsonMappingException mapping) {
            StringBuilder pointer = new StringBuilder();
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                pointer.append('/').append(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
            }
            String message = firstLine(mapping.getOriginalMessage());
            return (pointer.length() == 0 ? "/" : pointer) + ": " + message;
        }
        return e.getMessage();
    }

    private static String pointerOf(String problem) {
        int colon = problem.indexOf(": ");
        return colon < 0 ? problem : problem.substring(0, colon);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
