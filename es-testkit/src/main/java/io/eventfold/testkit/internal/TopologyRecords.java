package io.eventfold.testkit.internal;

import java.util.List;
import java.util.Map;

/**
 * Where the topology wrote the outputs of one step: keys and headers, for the checks that
 * look past the decoded values.
 *
 * @param events one entry per event record, in order
 * @param snapshots one entry per snapshot record
 * @param results one entry per result record
 * @param deadLetters how many records went to the dead-letter topic
 * @param fired on a time step, one entry per command record a deadline fired, in order
 */
public record TopologyRecords(List<Written> events, List<Written> snapshots, List<Written> results, int deadLetters,
                              List<Written> fired) {

    public static final TopologyRecords NONE = new TopologyRecords(List.of(), List.of(), List.of(), 0);

    public TopologyRecords {
        events = List.copyOf(events);
        snapshots = List.copyOf(snapshots);
        results = List.copyOf(results);
        fired = List.copyOf(fired);
    }

    /** The records of a command, which fires nothing. */
    public TopologyRecords(List<Written> events, List<Written> snapshots, List<Written> results, int deadLetters) {
        this(events, snapshots, results, deadLetters, List.of());
    }

    /**
     * The key, the Eventfold headers and the timestamp of one output record.
     *
     * @param correlationIdHeader the {@code eventfold.correlation-id} header, or null
     * @param metadataHeaders the {@code eventfold.metadata.<key>} headers, sorted by key
     * @param deadlineHeader the {@code eventfold.deadline} header, or null
     * @param timestamp the record's timestamp in epoch milliseconds
     */
    public record Written(String key, String commandIdHeader, String versionHeader, String correlationIdHeader,
                          Map<String, String> metadataHeaders, String deadlineHeader, long timestamp) {

        public Written {
            metadataHeaders = Render.metadata(metadataHeaders);
        }

        public Written(String key, String commandIdHeader, String versionHeader, String correlationIdHeader,
                       Map<String, String> metadataHeaders) {
            this(key, commandIdHeader, versionHeader, correlationIdHeader, metadataHeaders, null, -1);
        }
    }
}
