package io.eventfold.kafka.client;

import org.apache.kafka.streams.state.HostInfo;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Carries reads between the instances of one application: an {@link AggregateStore} sends a read
 * for an aggregate another instance hosts to that instance's {@code application.server} address,
 * and answers the reads other instances send it. {@link HttpStoreTransport} is the one es-kafka
 * provides (the JDK's HTTP server and client); implement this interface to carry them another way
 * (your own web framework, TLS, authentication).
 *
 * <pre>{@code
 * StoreTransport transport = HttpStoreTransport.start(7001);
 * props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "invoices-1.internal:7001");
 * AggregateStore<InvoiceCommand, InvoiceEvent, Invoice> store = AggregateStore.of(streams, invoices, transport);
 * }</pre>
 *
 * <p>An implementation must reach the handler of {@link #serve} at the address each instance
 * sets in {@code application.server}, and deliver requests and replies unchanged.
 */
public interface StoreTransport extends AutoCloseable {

    /**
     * Sends a request to another instance.
     *
     * <pre>{@code
     * StoreReply reply = transport.send(new HostInfo("invoices-2", 7001), request).join();
     * }</pre>
     *
     * @param host the instance, as its {@code application.server}
     * @param request the read
     * @return its reply; completes exceptionally when the instance cannot be reached or does not
     *     answer in time (the store treats that as the instance being unavailable)
     */
    CompletableFuture<StoreReply> send(HostInfo host, StoreRequest request);

    /**
     * Answers the requests for an aggregate type that other instances send here; one handler per
     * type, a later one replaces the earlier.
     *
     * <pre>{@code
     * transport.serve("invoice", request -> CompletableFuture.completedFuture(reply));
     * }</pre>
     *
     * @param type the aggregate type's name, {@link StoreRequest#type()}
     * @param handler answers a request from this instance's stores
     */
    void serve(String type, Function<StoreRequest, CompletableFuture<StoreReply>> handler);

    /**
     * Stops answering for a type: its requests are answered {@link StoreReply.Status#UNAVAILABLE}.
     *
     * <pre>{@code
     * transport.stopServing("invoice");
     * }</pre>
     *
     * @param type the aggregate type's name
     */
    void stopServing(String type);

    /** Stops serving and sending; requests in flight may fail. */
    @Override
    void close();
}
