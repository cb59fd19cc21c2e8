package io.eventfold.examples.invoices.readmodel;

import java.util.Objects;

/**
 * One committed change of the read model that a page may want to show: which view, which
 * invoice, at which version. It names the change only; whoever hears of it reads the rows.
 *
 * <pre>{@code
 * readModel.listen(change -> stream.publish(change.view().eventName(), mapper.writeValueAsString(change)));
 * }</pre>
 *
 * @param view the view that changed
 * @param invoiceId the invoice
 * @param version the invoice's version the view now shows
 */
public record ReadModelChange(View view, String invoiceId, long version) {

    /** The views of the read model. */
    public enum View {
        /** The invoice list: one row per invoice, from its snapshots. */
        INVOICE,
        /** An invoice's history: one row per event. */
        HISTORY;

        /** The name of its server-sent event on the page's stream. */
        public String eventName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ReadModelChange {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(invoiceId, "invoiceId");
    }

    /** The text sent through the database: view, version and invoice, space-separated (ids have no spaces). */
    String encode() {
        return view.name() + " " + version + " " + invoiceId;
    }

    /** Reads {@link #encode()}'s text. */
    static ReadModelChange decode(String text) {
        String[] parts = text.split(" ", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a read model change: '" + text + "'");
        }
        return new ReadModelChange(View.valueOf(parts[0]), parts[2], Long.parseLong(parts[1]));
    }
}
