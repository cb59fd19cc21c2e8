package org.apache.kafka.streams;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records a {@link TopologyTestDriver} captured, with the partition the topology chose, which
 * its {@code TestOutputTopic} leaves out: reached through the driver's package-private reader.
 */
public final class DriverRecords {

    private DriverRecords() {
    }

    /** The next record written to the topic, or null when there is none. */
    public static ProducerRecord<byte[], byte[]> next(TopologyTestDriver driver, String topic) {
        return driver.readRecord(topic);
    }
}
