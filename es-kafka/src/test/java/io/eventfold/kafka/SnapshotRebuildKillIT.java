package io.eventfold.kafka;

import io.eventfold.core.CommandResult;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.Snapshot;
import io.eventfold.embedded.EmbeddedKafkaExtension;
import io.eventfold.kafka.SnapshotRebuildIT.Counter;
import io.eventfold.kafka.SnapshotRebuildIT.CounterCommand;
import io.eventfold.kafka.SnapshotRebuildIT.CounterEvent;
import io.eventfold.kafka.client.AggregateStore;
import io.eventfold.kafka.client.CommandGateway;
import io.eventfold.kafka.internal.CommandProcessor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static io.eventfold.kafka.Cluster.streamsProps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM rebuilding the snapshots of state version 2 is killed ({@code kill -9}) while it
 * replays; the next instance, on the same state directory, resumes from the committed marker and
 * ends with every snapshot equal to the replay of the events.
 */
class SnapshotRebuildKillIT {

    @RegisterExtension
    static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();

    static final String NAME = "killed";
    static final String APP = "killed-app";
    static final int AGGREGATES = 30;

    @TempDir
    Path stateDir;

    static Properties props(String bootstrap, Path stateDir, String recordsPerTick) {
        Properties props = EventfoldConfig.streams(APP, bootstrap);
        props.put("state.dir", stateDir.toString());
        props.put("num.standby.replicas", 0);
        props.put("commit.interval.ms", 100);
        // The killed member leaves the group after this, not after the default 45 s.
        props.put("session.timeout.ms", 6000);
        props.put(CommandProcessor.TICK_RECORDS_CONFIG, recordsPerTick);
        props.put(CommandProcessor.TICK_CONFIG, "100");
        // Replayed states are written every few aggregates, so the kill finds some written, some held in memory.
        props.put(CommandProcessor.BUFFER_CONFIG, "4");
        return props;
    }

    /** The child JVM: runs state version 2, slowly, and prints each status it reports. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            SnapshotRebuilds.of(APP, SnapshotRebuildIT.type(NAME, 2)).subscribe(status -> System.out.println(
                    "STATUS " + status.partition() + " " + status.phase() + " " + status.offsetsRead() + " " + status.offsetsTotal()));
            KafkaStreams streams = EventfoldStreams.start(props(args[0], Path.of(args[1]), "3"), SnapshotRebuildIT.type(NAME, 2));
            System.out.println("STARTED " + streams.state());
            new CountDownLatch(1).await();
        }
    }

    @Test
    void aRebuildKilledWhileReplayingResumesFromItsMarker() throws Exception {
        var v1 = SnapshotRebuildIT.type(NAME, 1);
        var v2 = SnapshotRebuildIT.type(NAME, 2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicLayout.of(v1).create(admin, 3, (short) 1);
        }
        List<String> ids = IntStream.range(0, AGGREGATES).mapToObj(i -> "k-" + i).toList();
        try (KafkaStreams streams = EventfoldStreams.start(streamsProps(kafka, APP, stateDir), v1);
             CommandGateway<CounterCommand, CounterEvent, Counter> gateway = Cluster.gateway(kafka, v1, Duration.ofSeconds(60))) {
            for (int round = 1; round <= 10; round++) {
                List<CompletableFuture<CommandResult<CounterEvent, Counter>>> sent = new ArrayList<>();
                for (String id : ids) {
                    sent.add(gateway.send(id, new CounterCommand.Add(round), ExpectedVersion.any()));
                }
                sent.forEach(future -> assertThat(future.join().kind()).isEqualTo(CommandResult.Kind.ACCEPTED));
            }
            Cluster.stop(streams);
        }

        // The child replays 3 records per partition and tick; it is killed once a partition has read 20 and not all.
        try (ChildJvm child = ChildJvm.start("rebuilding", Child.class, kafka.bootstrapServers(), stateDir.toString())) {
            // Progress is reported at most once a second: by then several ticks have committed.
            child.awaitLine(line -> {
                if (!line.matches("STATUS \\d REPLAYING \\d+ \\d+")) {
                    return false;
                }
                String[] parts = line.split(" ");
                long read = Long.parseLong(parts[3]);
                return read >= 20 && read < Long.parseLong(parts[4]);
            }, Duration.ofSeconds(90));
            child.kill();
        }

        // The next instance on the same state directory resumes where the committed marker says.
        SnapshotRebuilds rebuilds = SnapshotRebuilds.of(APP, v2);
        List<RebuildStatus> seen = new CopyOnWriteArrayList<>();
        Runnable unsubscribe = rebuilds.subscribe(seen::add);
        try (KafkaStreams streams = EventfoldStreams.start(props(kafka.bootstrapServers(), stateDir, "1000000"), v2);
             AggregateStore<CounterCommand, CounterEvent, Counter> store = AggregateStore.of(streams, v2)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!(rebuilds.statuses().size() == 3 && rebuilds.allCurrent())) {
                assertThat(System.nanoTime()).as("every partition CURRENT within 120 s").isLessThan(deadline);
                Cluster.sleep(100);
            }
            assertThat(seen).as("a partition resumed its replay past offset 0")
                    .anyMatch(status -> status.phase() == RebuildStatus.Phase.REPLAYING && status.offsetsRead() > 0
                            && seen.stream().filter(s -> s.partition() == status.partition()).findFirst().orElseThrow() == status);
            for (String id : ids) {
                Snapshot<Counter> expected = new Snapshot<>(id, 10, new Counter(55, 10));
                assertThat(store.get(id)).as(id).contains(expected);
            }
            Cluster.stop(streams);
        } finally {
            unsubscribe.run();
        }
    }
}
