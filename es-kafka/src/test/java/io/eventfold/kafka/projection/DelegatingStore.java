package io.eventfold.kafka.projection;

import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/** A checkpoint store that passes everything to another and counts switch-overs; a test may override a step to inject faults. */
class DelegatingStore implements CheckpointStore<Connection> {

    final CheckpointStore<Connection> delegate;
    final AtomicInteger switches = new AtomicInteger();

    DelegatingStore(CheckpointStore<Connection> delegate) {
        this.delegate = delegate;
    }

    @Override
    public <R> R inTransaction(SessionWork<Connection, R> work) throws Exception {
        return delegate.inTransaction(work);
    }

    @Override
    public void createTablesIfMissing() throws Exception {
        delegate.createTablesIfMissing();
    }

    @Override
    public Map<TopicPartition, Long> positions(Connection session, Generation generation, Collection<TopicPartition> partitions)
            throws Exception {
        return delegate.positions(session, generation, partitions);
    }

    @Override
    public void claim(Connection session, Generation generation, Map<TopicPartition, OptionalLong> expected, String instance)
            throws Exception {
        delegate.claim(session, generation, expected, instance);
    }

    @Override
    public void advance(Connection session, Generation generation, Map<TopicPartition, Long> next, String instance) throws Exception {
        delegate.advance(session, generation, next, instance);
    }

    @Override
    public Map<String, Long> lastVersions(Connection session, Generation generation, Collection<String> aggregateIds) throws Exception {
        return delegate.lastVersions(session, generation, aggregateIds);
    }

    @Override
    public void recordVersions(Connection session, Generation generation, Map<String, Long> last) throws Exception {
        delegate.recordVersions(session, generation, last);
    }

    @Override
    public List<Generation> generations(Connection session, String projection) throws Exception {
        return delegate.generations(session, projection);
    }

    @Override
    public Generation register(Connection session, String projection, int version, String reason) throws Exception {
        return delegate.register(session, projection, version, reason);
    }

    @Override
    public boolean supersede(Connection session, Generation building, String reason) throws Exception {
        return delegate.supersede(session, building, reason);
    }

    @Override
    public boolean switchOver(Connection session, Generation building, Generation live, Collection<TopicPartition> partitions,
                              Duration freeze) throws Exception {
        boolean switched = delegate.switchOver(session, building, live, partitions, freeze);
        if (switched) {
            switches.incrementAndGet();
        }
        return switched;
    }

    @Override
    public void markDropped(Connection session, Generation retired) throws Exception {
        delegate.markDropped(session, retired);
    }
}
