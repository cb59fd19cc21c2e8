package io.eventfold.examples.invoices.readmodel;

import java.util.Objects;

/**
 * One committed change of the read model that a page may want to show: which view, which
 * invoice or account, at which version. It names the change only; whoever hears of it reads the rows.
 *
 * <pre>{@code
 * readModel.listen(change -> stream.publish(change.view().eventName(), mapper.writeValueAsString(change)));
 * }</pre>
 *
 * @param view the view that changed
 * @param id the invoice (of {@link View#INVOICE} and {@link View#HISTORY}) or the account (of {@link View#ACCOUNT})
 * @param version the invoice's or account's version the view now shows
 */
public record ReadModelChange(View view, String id, long version) {

    /** The views of the read model. */
    public enum View {
        /** The invoice list: one row per invoice, from its snapshots. */
        INVOICE,
        /** An invoice's history: one row per event. */
        HISTORY,
        /** The customer balances: one row per account and currency, from the accounts' snapshots. */
        ACCOUNT;

        /** The name of its server-sent event on the page's stream. */
        public String eventName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ReadModelChange {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(id, "id");
    }

    /** The text sent through the database: view, version and id, space-separated; the id last, whatever it holds. */
    String encode() {
        return view.name() + " " + version + " " + id;
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
