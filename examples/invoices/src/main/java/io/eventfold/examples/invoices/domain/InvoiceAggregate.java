package io.eventfold.examples.invoices.domain;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Decision;
import io.eventfold.examples.invoices.domain.InvoiceCommand.AddLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CancelInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.CreateInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.MarkOverdue;
import io.eventfold.examples.invoices.domain.InvoiceCommand.PayInvoice;
import io.eventfold.examples.invoices.domain.InvoiceCommand.RemoveLineItem;
import io.eventfold.examples.invoices.domain.InvoiceCommand.SendInvoice;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceCancelled;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceCreated;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceOverdue;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoiceSent;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemAdded;
import io.eventfold.examples.invoices.domain.InvoiceEvent.LineItemRemoved;
import io.eventfold.examples.invoices.domain.InvoiceEvent.InvoicePaid;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The rules of an invoice. Every refusal has a stable code, listed in {@link InvoiceRejections}.
 *
 * <p>Sending an invoice schedules its deadline {@value #OVERDUE}: the command {@link MarkOverdue}
 * at {@link Invoice#overdueAt()}. Paying or cancelling a sent invoice cancels it. When it fires,
 * it is decided like any other command: a sent invoice becomes {@link InvoiceStatus#OVERDUE}; one
 * paid or cancelled meanwhile (its command already on its way) refuses it.
 *
 * <pre>{@code
 * Decision<InvoiceEvent> decision = new InvoiceAggregate().decide(new SendInvoice(), draftWithLines);
 * ((Decision.Accepted<InvoiceEvent>) decision).deadlines();   // [Schedule[deadlineId=overdue, dueAt=…, command=MarkOverdue[]]]
 * }</pre>
 */
public final class InvoiceAggregate implements Aggregate<InvoiceCommand, InvoiceEvent, Invoice> {

    /** The id of the deadline that marks a sent invoice overdue. */
    public static final String OVERDUE = "overdue";

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

    @Override
    public Invoice initialState() {
        return Invoice.NONE;
    }

    @Override
    public Decision<InvoiceEvent> decide(InvoiceCommand command, Invoice invoice) {
        if (command instanceof CreateInvoice create) {
            return create(create, invoice);
        }
        if (invoice.status() == InvoiceStatus.NONE) {
            return Decision.reject(InvoiceRejections.INVOICE_NOT_FOUND, "the invoice does not exist");
        }
        if (invoice.status() == InvoiceStatus.CANCELLED) {
            return Decision.reject(InvoiceRejections.INVOICE_CANCELLED, "a cancelled invoice never changes");
        }
        if (command instanceof AddLineItem add) {
            return addLineItem(add, invoice);
        }
        if (command instanceof RemoveLineItem remove) {
            return removeLineItem(remove, invoice);
        }
        if (command instanceof SendInvoice) {
            return send(invoice);
        }
        if (command instanceof PayInvoice pay) {
            return pay(pay, invoice);
        }
        if (command instanceof MarkOverdue) {
            return markOverdue(invoice);
        }
        return cancel((CancelInvoice) command, invoice);
    }

    private static Decision<InvoiceEvent> create(CreateInvoice create, Invoice invoice) {
        if (invoice.status() != InvoiceStatus.NONE) {
            return Decision.reject(InvoiceRejections.INVOICE_ALREADY_EXISTS, "the invoice was created before");
        }
        if (create.customer() == null || create.customer().name() == null || create.customer().name().isBlank()) {
            return Decision.reject(InvoiceRejections.INVALID_CUSTOMER, "the customer needs a name");
        }
        if (create.customer().email() == null || !EMAIL.matcher(create.customer().email()).matches()) {
            return Decision.reject(InvoiceRejections.INVALID_EMAIL,
                    "'" + create.customer().email() + "' is not a valid email address");
        }
        if (create.issueDate() == null || create.dueDate() == null) {
            return Decision.reject(InvoiceRejections.INVALID_DATE, "issue date and due date are required");
        }
        if (create.dueDate().isBefore(create.issueDate())) {
            return Decision.reject(InvoiceRejections.DUE_DATE_BEFORE_ISSUE_DATE,
                    "due date " + create.dueDate() + " is before issue date " + create.issueDate());
        }
        if (create.currency() == null || !CURRENCY.matcher(create.currency()).matches()) {
            return Decision.reject(InvoiceRejections.INVALID_CURRENCY,
                    "'" + create.currency() + "' is not a three-letter currency code");
        }
        return Decision.accept(new InvoiceCreated(create.customer(), create.issueDate(), create.dueDate(), create.currency()));
    }

    private static Decision<InvoiceEvent> addLineItem(AddLineItem add, Invoice invoice) {
        if (invoice.status() != InvoiceStatus.DRAFT) {
            return notDraft(invoice);
        }
        LineItem item = add.lineItem();
        if (item == null || item.lineItemId() == null || item.lineItemId().isBlank()) {
            return Decision.reject(InvoiceRejections.INVALID_LINE_ITEM, "a line item needs an id");
        }
        if (invoice.lineItem(item.lineItemId()).isPresent()) {
            return Decision.reject(InvoiceRejections.LINE_ITEM_ALREADY_EXISTS,
                    "line item " + item.lineItemId() + " is already on the invoice");
        }
        if (item.quantity() <= 0) {
            return Decision.reject(InvoiceRejections.INVALID_QUANTITY, "quantity must be > 0 but was " + item.quantity());
        }
        if (item.unitPrice() == null || item.unitPrice().signum() < 0) {
            return Decision.reject(InvoiceRejections.INVALID_PRICE, "unit price must be >= 0 but was " + item.unitPrice());
        }
        if (item.taxRate() == null || item.taxRate().signum() < 0 || item.taxRate().compareTo(BigDecimal.ONE) >= 0) {
            return Decision.reject(InvoiceRejections.INVALID_TAX_RATE,
                    "tax rate must be >= 0 and < 1 (0.20 is 20 %) but was " + item.taxRate());
        }
        return Decision.accept(new LineItemAdded(item));
    }

    private static Decision<InvoiceEvent> removeLineItem(RemoveLineItem remove, Invoice invoice) {
        if (invoice.status() != InvoiceStatus.DRAFT) {
            return notDraft(invoice);
        }
        if (invoice.lineItem(remove.lineItemId()).isEmpty()) {
            return Decision.reject(InvoiceRejections.LINE_ITEM_NOT_FOUND,
                    "line item " + remove.lineItemId() + " is not on the invoice");
        }
        return Decision.accept(new LineItemRemoved(remove.lineItemId()));
    }

    private static Decision<InvoiceEvent> send(Invoice invoice) {
        if (invoice.status() != InvoiceStatus.DRAFT) {
            return notDraft(invoice);
        }
        if (invoice.lineItems().isEmpty()) {
            return Decision.reject(InvoiceRejections.INVOICE_EMPTY, "an invoice without line items cannot be sent");
        }
        return Decision.schedule(OVERDUE, invoice.overdueAt(), new MarkOverdue()).accept(new InvoiceSent());
    }

    private static Decision<InvoiceEvent> pay(PayInvoice pay, Invoice invoice) {
        if (invoice.status() == InvoiceStatus.PAID) {
            return Decision.reject(InvoiceRejections.INVOICE_ALREADY_PAID, "the invoice is already paid");
        }
        if (invoice.status() != InvoiceStatus.SENT && invoice.status() != InvoiceStatus.OVERDUE) {
            return Decision.reject(InvoiceRejections.INVOICE_NOT_SENT, "only a sent invoice can be paid");
        }
        BigDecimal total = invoice.total();
        if (pay.amount() == null || pay.amount().compareTo(total) != 0) {
            return Decision.reject(InvoiceRejections.PAYMENT_AMOUNT_MISMATCH,
                    "payment of " + pay.amount() + " does not equal the outstanding total " + total);
        }
        return withoutOverdueDeadline(new InvoicePaid(pay.amount()), invoice);
    }

    private static Decision<InvoiceEvent> markOverdue(Invoice invoice) {
        if (invoice.status() == InvoiceStatus.PAID) {
            return Decision.reject(InvoiceRejections.INVOICE_ALREADY_PAID, "a paid invoice is never overdue");
        }
        if (invoice.status() == InvoiceStatus.OVERDUE) {
            return Decision.reject(InvoiceRejections.INVOICE_ALREADY_OVERDUE, "the invoice is overdue already");
        }
        if (invoice.status() != InvoiceStatus.SENT) {
            return Decision.reject(InvoiceRejections.INVOICE_NOT_SENT, "only a sent invoice can become overdue");
        }
        return Decision.accept(new InvoiceOverdue(invoice.dueDate()));
    }

    /** A draft, sent or overdue invoice can be cancelled (an overdue one is written off); a paid one cannot. */
    private static Decision<InvoiceEvent> cancel(CancelInvoice cancel, Invoice invoice) {
        if (invoice.status() == InvoiceStatus.PAID) {
            return Decision.reject(InvoiceRejections.INVOICE_ALREADY_PAID, "a paid invoice cannot be cancelled");
        }
        return withoutOverdueDeadline(new InvoiceCancelled(cancel.reason() == null ? "" : cancel.reason()), invoice);
    }

    /** Only a SENT invoice has its overdue deadline still pending: a DRAFT has none yet, an OVERDUE one fired it. */
    private static Decision<InvoiceEvent> withoutOverdueDeadline(InvoiceEvent event, Invoice invoice) {
        return invoice.status() == InvoiceStatus.SENT ? Decision.cancel(OVERDUE).accept(event) : Decision.accept(event);
    }

    private static Decision<InvoiceEvent> notDraft(Invoice invoice) {
        return Decision.reject(InvoiceRejections.INVOICE_NOT_DRAFT,
                "the invoice is " + invoice.status() + "; only a DRAFT invoice can change");
    }

    @Override
    public Invoice evolve(Invoice invoice, InvoiceEvent event) {
        if (event instanceof InvoiceCreated created) {
            return new Invoice(InvoiceStatus.DRAFT, created.customer(), created.issueDate(), created.dueDate(),
                    created.currency(), java.util.List.of());
        }
        if (event instanceof LineItemAdded added) {
            return invoice.plus(added.lineItem());
        }
        if (event instanceof LineItemRemoved removed) {
            return invoice.minus(removed.lineItemId());
        }
        if (event instanceof InvoiceSent) {
            return invoice.withStatus(InvoiceStatus.SENT);
        }
        if (event instanceof InvoiceOverdue) {
            return invoice.withStatus(InvoiceStatus.OVERDUE);
        }
        if (event instanceof InvoicePaid) {
            return invoice.withStatus(InvoiceStatus.PAID);
        }
        return invoice.withStatus(InvoiceStatus.CANCELLED);
    }
}
