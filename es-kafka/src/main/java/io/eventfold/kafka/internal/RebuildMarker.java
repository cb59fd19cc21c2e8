package io.eventfold.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.kafka.EnvelopeFormatException;
import io.eventfold.kafka.RebuildStatus;

import java.io.IOException;
import java.time.Instant;

/**
 * How far a partition's snapshots are from the current state version, kept in the snapshot store
 * under the key {@link #KEY}, so it commits, restores and replicates with the snapshots it
 * describes. Aggregate ids are never blank, so the key can never be an aggregate's.
 *
 * @param stateVersion the state version the snapshots are (being) built for
 * @param phase REPLAYING, PUBLISHING or CURRENT
 * @param from the state version of the snapshots before the rebuild (0 when there were none)
 * @param offset the next offset of the events partition to replay
 * @param end the end of the events partition when the replay began, or -1 while unknown
 * @param afterKey the last aggregate published, or null
 * @param aggregates how many aggregates the replay rebuilt
 * @param published how many rebuilt snapshots were published
 * @param startedAt when the rebuild began, or null when none ran
 * @param finishedAt when the snapshots became current after a rebuild, or null
 */
public record RebuildMarker(int stateVersion, RebuildStatus.Phase phase, int from, long offset, long end, String afterKey,
                            long aggregates, long published, Instant startedAt, Instant finishedAt) {

    /** The snapshot-store key of the marker. */
    public static final String KEY = "";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The marker of snapshots that are current without a rebuild. */
    static RebuildMarker current(int stateVersion, int from) {
        return new RebuildMarker(stateVersion, RebuildStatus.Phase.CURRENT, from, 0, 0, null, 0, 0, null, null);
    }

    /** The marker of a replay that begins. */
    static RebuildMarker replaying(int stateVersion, int from, long end, Instant now) {
        return new RebuildMarker(stateVersion, RebuildStatus.Phase.REPLAYING, from, 0, end, null, 0, 0, now, null);
    }

    RebuildMarker withPhase(RebuildStatus.Phase next, Instant finished) {
        return new RebuildMarker(stateVersion, next, from, offset, end, afterKey, aggregates, published, startedAt, finished);
    }

    RebuildMarker replayed(long nextOffset, long newEnd, long rebuilt) {
        return new RebuildMarker(stateVersion, phase, from, nextOffset, newEnd, afterKey, rebuilt, published, startedAt, finishedAt);
    }

    RebuildMarker publishedUpTo(String key, long count) {
        return new RebuildMarker(stateVersion, phase, from, offset, end, key, aggregates, count, startedAt, finishedAt);
    }

    byte[] toBytes() {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("stateVersion", stateVersion);
        json.put("phase", phase.name());
        json.put("from", from);
        json.put("offset", offset);
        json.put("end", end);
        json.put("afterKey", afterKey);
        json.put("aggregates", aggregates);
        json.put("published", published);
        json.put("startedAt", startedAt == null ? null : startedAt.toString());
        json.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the rebuild marker", e);
        }
    }

    /**
     * Reads a marker as the store holds it.
     *
     * @param bytes the value under {@link #KEY}
     * @return the marker
     * @throws EnvelopeFormatException if it cannot be read
     */
    public static RebuildMarker fromBytes(byte[] bytes) {
        try {
            JsonNode json = MAPPER.readTree(bytes);
            return new RebuildMarker(json.get("stateVersion").asInt(), RebuildStatus.Phase.valueOf(json.get("phase").asText()),
                    json.path("from").asInt(), json.path("offset").asLong(), json.path("end").asLong(-1),
                    text(json, "afterKey"), json.path("aggregates").asLong(), json.path("published").asLong(),
                    instant(json, "startedAt"), instant(json, "finishedAt"));
        } catch (IOException | RuntimeException e) {
            throw new EnvelopeFormatException("the rebuild marker of the snapshot store (key \"\") cannot be read: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Instant instant(JsonNode json, String field) {
        String text = text(json, field);
        return text == null ? null : Instant.parse(text);
    }
}
