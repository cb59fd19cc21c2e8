package io.eventfold.embedded;

import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Formats a data directory on its first use, as {@code kafka-storage.sh format} would, and reads
 * the cluster id back from it on every start.
 */
final class Storage {

    private static final Logger LOG = LoggerFactory.getLogger(Storage.class);
    private static final String META_PROPERTIES = "meta.properties";

    private Storage() {
    }

    /**
     * Formats {@code dataDir} when it has no {@code meta.properties} yet; otherwise leaves it as
     * it is, so topics, records, offsets and the cluster id survive restarts.
     *
     * @return the cluster id stored in {@code meta.properties}
     */
    static String formatIfNeeded(Path dataDir, KafkaConfig config, int nodeId, String controllerListener) throws Exception {
        Path metaProperties = dataDir.resolve(META_PROPERTIES);
        if (!Files.exists(metaProperties)) {
            String newClusterId = Uuid.randomUuid().toString();
            LOG.info("Formatting {} for new cluster {}", dataDir, newClusterId);
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(nodeId)
                    .setClusterId(newClusterId)
                    .setControllerListenerName(controllerListener)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setHasDynamicQuorum(false) // static controller.quorum.voters
                    .addDirectory(dataDir.toString())
                    .run(); // release version: the latest production metadata.version
        }
        return clusterId(metaProperties);
    }

    private static String clusterId(Path metaProperties) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            meta.load(in);
        }
        String id = meta.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IOException(metaProperties + " has no cluster.id");
        }
        return id;
    }
}
