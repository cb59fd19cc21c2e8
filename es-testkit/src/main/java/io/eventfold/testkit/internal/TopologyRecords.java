package io.eventfold.testkit.internal;

import java.util.List;
import java.util.Map;

/**
 * Where the topology wrote the outputs of one command: keys and headers, for the checks that
 * look past the decoded values.
 *
 * @param events one entry per event record, in order
 * @param snapshots one entry per snapshot record
 * @param results one entry per result record
 * @param deadLetters how many records went to the dead-letter topic
 */
public record TopologyRecords(List<Written> events, List<Written> snapshots, List<Written> results, int deadLetters) {

    public static final TopologyRecords NONE = new TopologyRecords(List.of(), List.of(), List.of(), 0);

    /**
     * The key and the Eventfold headers of one output record.
     *
     * @param correlationIdHeader the {@code eventfold.correlation-id} header, or null
     * @param metadataHeaders the {@code eventfold.metadata.<key>} headers, sorted by key
     */
    public record Written(String key, String commandIdHeader, String versionHeader, String correlationIdHeader,
                          Map<String, String> metadataHeaders) {

        public Written {
            metadataHeaders = Render.metadata(metadataHeaders);
        }
    }
}
