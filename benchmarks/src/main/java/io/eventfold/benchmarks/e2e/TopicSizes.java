package io.eventfold.benchmarks.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * The size of topics on the broker's disk, as {@link Admin#describeLogDirs} reports it: every
 * replica of every partition, record batch headers and transaction markers included.
 *
 * <pre>{@code
 * Map<String, Long> bytes = TopicSizes.of(admin, List.of("invoice-events"));
 * }</pre>
 */
final class TopicSizes {

    private TopicSizes() {
    }

    /**
     * Sums the log sizes of the given topics.
     *
     * @param admin a client of the cluster
     * @param topics the topics to measure
     * @return topic → bytes on disk, 0 for a topic that has no replica on any broker
     */
    static Map<String, Long> of(Admin admin, Collection<String> topics) throws InterruptedException {
        Set<String> wanted = Set.copyOf(topics);
        Map<String, Long> sizes = new TreeMap<>();
        topics.forEach(topic -> sizes.put(topic, 0L));
        try {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        if (wanted.contains(replica.getKey().topic()) && !replica.getValue().isFuture()) {
                            sizes.merge(replica.getKey().topic(), replica.getValue().size(), Long::sum);
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the broker's log directories", e.getCause());
        }
        return sizes;
    }

    /**
     * The changelog topics Kafka Streams created for an application's stores.
     *
     * @param admin a client of the cluster
     * @param applicationId the application's {@code application.id}
     * @return the topics named {@code <applicationId>-…-changelog}, sorted
     */
    static List<String> changelogs(Admin admin, String applicationId) throws InterruptedException {
        try {
            return admin.listTopics().names().get().stream()
                    .filter(topic -> topic.startsWith(applicationId + "-") && topic.endsWith("-changelog"))
                    .sorted().toList();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the topics", e.getCause());
        }
    }

    /**
     * The store a changelog topic belongs to.
     *
     * @param applicationId the application's {@code application.id}
     * @param changelog a topic named {@code <applicationId>-<store>-changelog}
     * @return the store's name
     */
    static String store(String applicationId, String changelog) {
        return changelog.substring(applicationId.length() + 1, changelog.length() - "-changelog".length());
    }
}
