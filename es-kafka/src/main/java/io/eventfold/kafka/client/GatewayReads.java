package io.eventfold.kafka.client;

/**
 * What a {@link CommandGateway} has read since it was built, replies and command results
 * together: the cost of hearing back, which reply routing keeps to about the gateway's own
 * commands however many gateways there are.
 *
 * <pre>{@code
 * GatewayReads reads = gateway.reads();
 * double perCommand = (double) reads.records() / commandsSent;   // about 1 with reply routing
 * }</pre>
 *
 * @param records the records read
 * @param bytes the bytes read, as the consumers count them (keys, values and headers of the fetched records)
 */
public record GatewayReads(long records, long bytes) {
}
