package io.eventfold.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.core.ProcessState;
import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.json.JsonCodec;

import java.io.IOException;

/**
 * Writes a process manager's position for one source aggregate as JSON:
 * {@code {"lastVersion":3,"resultsSeen":1,"stateType":"InvoiceAccount","state":{...}}} (the type name
 * lets a sealed state type be read back as the subtype it was).
 */
public final class ProcessStateCodec<S> {

    private final JsonCodec<S> states;
    private final ObjectMapper mapper;

    /**
     * A codec for one manager's state type.
     *
     * @param states the codec of the manager's state
     */
    public ProcessStateCodec(JsonCodec<S> states) {
        this.states = states;
        this.mapper = states.mapper();
    }

    /**
     * Writes a position.
     *
     * @param position the position
     * @return its JSON bytes
     */
    public byte[] write(ProcessState<S> position) {
        ObjectNode json = mapper.createObjectNode();
        json.put("lastVersion", position.lastVersion());
        json.put("resultsSeen", position.resultsSeen());
        json.put("stateType", states.typeName(position.state()));
        json.set("state", states.toJson(position.state()));
        try {
            return mapper.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new EnvelopeFormatException("cannot write a process manager's state: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a position.
     *
     * @param bytes what {@link #write} wrote
     * @return the position
     */
    public ProcessState<S> read(byte[] bytes) {
        JsonNode json;
        try {
            json = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new EnvelopeFormatException("cannot read a process manager's state: " + e.getMessage(), e);
        }
        return new ProcessState<>(json.path("lastVersion").asLong(), json.path("resultsSeen").asLong(),
                states.fromJson(json.path("stateType").asText(), json.get("state")));
    }
}
