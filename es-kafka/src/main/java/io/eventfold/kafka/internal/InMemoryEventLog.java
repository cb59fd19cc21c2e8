package io.eventfold.kafka.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An events partition held in a list, for tests and the testkit: the records given, at offsets
 * from a beginning offset on, returned at most {@code batch} at a time.
 */
public final class InMemoryEventLog implements EventLog {

    private final List<byte[]> values;
    private final long beginning;
    private final int batch;
    private long position;
    private boolean closed;

    /** A log of these event envelopes at offsets 0, 1, 2… */
    public InMemoryEventLog(List<byte[]> values) {
        this(values, 0, 500);
    }

    /**
     * A log whose first {@code beginning} records were deleted.
     *
     * @param values the records still held, the first at offset {@code beginning}
     * @param beginning the offset of the first
     * @param batch the most records one poll returns
     */
    public InMemoryEventLog(List<byte[]> values, long beginning, int batch) {
        this.values = new ArrayList<>(values);
        this.beginning = beginning;
        this.batch = batch;
    }

    @Override
    public long beginningOffset() {
        return beginning;
    }

    @Override
    public long endOffset() {
        return beginning + values.size();
    }

    @Override
    public void seek(long offset) {
        position = Math.max(offset, beginning);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public List<Entry> poll(Duration wait) {
        List<Entry> entries = new ArrayList<>();
        while (entries.size() < batch && position < endOffset()) {
            entries.add(new Entry(position, null, values.get((int) (position - beginning))));
            position++;
        }
        return entries;
    }

    /** Whether the rebuild closed it. */
    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
