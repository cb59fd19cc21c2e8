package io.eventfold.kafka;

import java.util.List;
import java.util.Objects;

/**
 * The state stores of one aggregate type, named after the type. Kafka Streams backs each with a
 * compacted changelog topic {@code <application.id>-<store>-changelog}; interactive queries and
 * operations tools find them by these names.
 *
 * <pre>{@code
 * StoreNames stores = invoices.stores();
 * stores.snapshots();                    // "invoice-snapshot-store"
 * stores.changelogs("invoice-service");  // ["invoice-service-invoice-snapshot-store-changelog", …]
 * }</pre>
 *
 * @param snapshots aggregate id → latest snapshot envelope; {@code <type>-snapshot-store}
 * @param commandIds aggregate id and command id → what a redelivery is answered, in a window store;
 *     {@code <type>-command-id-store}
 * @param deadlines the deadlines scheduled and not fired yet, by due time and by aggregate and
 *     deadline id; {@code <type>-deadline-store}
 */
public record StoreNames(String snapshots, String commandIds, String deadlines) {

    /**
     * @param snapshots the snapshot store's name, not blank
     * @param commandIds the command-id store's name, not blank
     * @param deadlines the deadline store's name, not blank
     */
    public StoreNames {
        requireText(snapshots, "snapshots");
        requireText(commandIds, "commandIds");
        requireText(deadlines, "deadlines");
        if (List.of(snapshots, commandIds, deadlines).stream().distinct().count() < 3) {
            throw new IllegalArgumentException("store names must differ but are '" + snapshots + "', '" + commandIds
                    + "' and '" + deadlines + "'");
        }
    }

    /**
     * The store names of an aggregate type.
     *
     * @param typeName the aggregate type's name, such as {@code invoice}
     * @return {@code <type>-snapshot-store}, {@code <type>-command-id-store} and {@code <type>-deadline-store}
     */
    public static StoreNames forType(String typeName) {
        return new StoreNames(typeName + "-snapshot-store", typeName + "-command-id-store", typeName + "-deadline-store");
    }

    /**
     * Every name: snapshots, command ids, deadlines.
     *
     * @return the store names
     */
    public List<String> all() {
        return List.of(snapshots, commandIds, deadlines);
    }

    /**
     * The changelog topics Kafka Streams creates for these stores.
     *
     * @param applicationId the Kafka Streams {@code application.id}
     * @return one changelog topic per store, in the order of {@link #all()}
     */
    public List<String> changelogs(String applicationId) {
        return all().stream().map(store -> changelog(applicationId, store)).toList();
    }

    /**
     * The changelog topic Kafka Streams creates for one store.
     *
     * <pre>{@code
     * StoreNames.changelog("invoice-service", stores.snapshots());  // "invoice-service-invoice-snapshot-store-changelog"
     * }</pre>
     *
     * @param applicationId the Kafka Streams {@code application.id}
     * @param store a store name
     * @return the store's changelog topic
     */
    public static String changelog(String applicationId, String store) {
        requireText(applicationId, "applicationId");
        requireText(store, "store");
        return applicationId + "-" + store + "-changelog";
    }

    private static void requireText(String value, String field) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
