package io.eventfold.kafka.json;

import java.util.List;

/**
 * Turns one stored payload of one (type, version) into what the next version reads: usually one
 * payload, none to drop it, several to split it. Like {@code evolve}, an upcaster must be pure and
 * deterministic: every reader of the record (projections, the audit, a rebuild) runs it again.
 * Register it with {@link Upcasters.Builder#upcastWith(String, int, Upcaster)}.
 *
 * <pre>{@code
 * Upcaster split = stored -> List.of(
 *     new StoredPayload("InvoiceSent", 1, stored.json()),
 *     new StoredPayload("ReminderScheduled", 1, JsonNodeFactory.instance.objectNode()));
 * }</pre>
 */
@FunctionalInterface
public interface Upcaster {

    /**
     * Upcasts one stored payload.
     *
     * @param stored the payload of the (type, version) this upcaster was registered for; its JSON may be
     *     changed in place
     * @return the payloads it becomes, in order; empty to drop it. The chain goes on with each of them.
     */
    List<StoredPayload> upcast(StoredPayload stored);
}
