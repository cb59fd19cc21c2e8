package io.eventfold.examples.invoices.domain;

import io.eventfold.core.ExpectedVersion;
import io.eventfold.examples.invoices.Invoices;
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
import io.eventfold.testkit.AggregateFixture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import static io.eventfold.examples.invoices.domain.InvoiceRejections.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of an invoice, each scenario run as pure functions and through the real topology. */
class InvoiceAggregateTest {

    static final Customer ADA = new Customer("Ada Lovelace", "ada@example.com");
    static final LocalDate ISSUED = LocalDate.of(2026, 11, 22);
    static final LocalDate DUE = ISSUED.plusDays(30);
    static final LineItem TUNING = new LineItem("li-1", "Analytical engine tuning", 3, new BigDecimal("120.00"), BigDecimal.ZERO);
    static final LineItem CARDS = new LineItem("li-2", "Punched cards", 200, new BigDecimal("0.25"), BigDecimal.ZERO);
    static final InvoiceCreated CREATED = new InvoiceCreated(ADA, ISSUED, DUE, "EUR");

    final AggregateFixture<InvoiceCommand, InvoiceEvent, Invoice> fixture = AggregateFixture.of(Invoices.TYPE);

    @Nested
    class Create {

        @Test
        void shouldCreateADraftInvoice() {
            fixture.givenNothing()
                    .when(new CreateInvoice(ADA, ISSUED, DUE, "EUR"), ExpectedVersion.noStream())
                    .thenEvents(CREATED)
                    .thenState(invoice -> {
                        assertThat(invoice.status()).isEqualTo(InvoiceStatus.DRAFT);
                        assertThat(invoice.total()).isEqualByComparingTo("0");
                    });
        }

        @Test
        void shouldCreateAnInvoiceOnlyOnce() {
            fixture.given(CREATED)
                    .when(new CreateInvoice(ADA, ISSUED, DUE, "EUR"))
                    .thenRejected(INVOICE_ALREADY_EXISTS);
        }

        @Test
        void shouldRejectAnInvalidEmailADueDateBeforeTheIssueDateAndABadCurrency() {
            fixture.givenNothing()
                    .when(new CreateInvoice(new Customer("Ada", "ada-at-example"), ISSUED, DUE, "EUR"))
                    .thenRejected(INVALID_EMAIL)
                    .and()
                    .when(new CreateInvoice(ADA, ISSUED, ISSUED.minusDays(1), "EUR"))
                    .thenRejected(DUE_DATE_BEFORE_ISSUE_DATE)
                    .and()
                    .when(new CreateInvoice(ADA, ISSUED, DUE, "euro"))
                    .thenRejected(INVALID_CURRENCY)
                    .and()
                    .when(new CreateInvoice(new Customer(" ", "ada@example.com"), ISSUED, DUE, "EUR"))
                    .thenRejected(INVALID_CUSTOMER)
                    .thenVersion(0);
        }

        @Test
        void shouldRejectEveryOtherCommandForAMissingInvoice() {
            fixture.givenNothing()
                    .when(new SendInvoice())
                    .thenRejected(INVOICE_NOT_FOUND)
                    .and()
                    .when(new PayInvoice(BigDecimal.ONE))
                    .thenRejected(INVOICE_NOT_FOUND);
        }
    }

    @Nested
    class LineItems {

        @Test
        void shouldAddAndRemoveLineItemsOfADraftByTheirId() {
            fixture.given(CREATED, new LineItemAdded(TUNING), new LineItemAdded(CARDS))
                    .when(new RemoveLineItem("li-1"))
                    .thenEvents(new LineItemRemoved("li-1"))
                    .thenState(invoice -> assertThat(invoice.lineItems()).containsExactly(CARDS))
                    .thenVersion(4);
        }

        @Test
        void shouldRejectInvalidLineItems() {
            fixture.given(CREATED, new LineItemAdded(CARDS))
                    .when(new AddLineItem(new LineItem("li-3", "Nothing", 0, BigDecimal.ONE, BigDecimal.ZERO)))
                    .thenRejected(INVALID_QUANTITY)
                    .and()
                    .when(new AddLineItem(new LineItem("li-3", "Refund", 1, new BigDecimal("-1"), BigDecimal.ZERO)))
                    .thenRejected(INVALID_PRICE)
                    .and()
                    .when(new AddLineItem(new LineItem("li-3", "Untaxed?", 1, BigDecimal.ONE, null)))
                    .thenRejected(INVALID_TAX_RATE)
                    .and()
                    .when(new AddLineItem(new LineItem("li-3", "Subsidy", 1, BigDecimal.ONE, new BigDecimal("-0.01"))))
                    .thenRejected(INVALID_TAX_RATE)
                    .and()
                    .when(new AddLineItem(new LineItem("li-3", "All tax", 1, BigDecimal.ONE, BigDecimal.ONE)))
                    .thenRejected(INVALID_TAX_RATE)
                    .and()
                    .when(new AddLineItem(CARDS))
                    .thenRejected(LINE_ITEM_ALREADY_EXISTS)
                    .and()
                    .when(new RemoveLineItem("li-9"))
                    .thenRejected(LINE_ITEM_NOT_FOUND);
        }

        @Test
        void shouldChangeLineItemsOnlyInADraft() {
            fixture.given(CREATED, new LineItemAdded(CARDS), new InvoiceSent())
                    .when(new AddLineItem(TUNING))
                    .thenRejected(INVOICE_NOT_DRAFT)
                    .and()
                    .when(new RemoveLineItem("li-2"))
                    .thenRejected(INVOICE_NOT_DRAFT);
        }
    }

    @Nested
    class SendAndPay {

        @Test
        void shouldSendADraftWithLineItems() {
            fixture.given(CREATED, new LineItemAdded(TUNING))
                    .when(new SendInvoice())
                    .thenEvents(new InvoiceSent())
                    .thenState(invoice -> assertThat(invoice.status()).isEqualTo(InvoiceStatus.SENT));
        }

        @Test
        void shouldNotSendAnEmptyInvoice() {
            fixture.given(CREATED)
                    .when(new SendInvoice())
                    .thenRejected(INVOICE_EMPTY);
        }

        @Test
        void shouldPayASentInvoiceInFull() {
            fixture.given(CREATED, new LineItemAdded(TUNING), new LineItemAdded(CARDS), new InvoiceSent())
                    .when(new PayInvoice(new BigDecimal("410.00")))
                    .thenEvents(new InvoicePaid(new BigDecimal("410.00")))
                    .thenState(invoice -> assertThat(invoice.status()).isEqualTo(InvoiceStatus.PAID));
        }

        @Test
        void shouldChargeTheTaxOfEachLine() {
            LineItem taxed = new LineItem("li-3", "Brass gears", 12, new BigDecimal("4.50"), new BigDecimal("0.20"));
            fixture.given(CREATED, new LineItemAdded(TUNING), new LineItemAdded(taxed), new InvoiceSent())
                    .when(new PayInvoice(new BigDecimal("360.00")))
                    .thenRejected(rejection -> assertThat(rejection.message())
                            .isEqualTo("payment of 360.00 does not equal the outstanding total 424.80"))
                    .and()
                    .when(new PayInvoice(new BigDecimal("424.80")))
                    .thenEvents(new InvoicePaid(new BigDecimal("424.80")));
        }

        @Test
        void shouldRoundTheTaxOfALineToThePrecisionOfItsPrice() {
            LineItem line = new LineItem("li-9", "Cards", 3, new BigDecimal("0.25"), new BigDecimal("0.075"));
            assertThat(line.net()).isEqualTo("0.75");
            assertThat(line.tax()).isEqualTo("0.06");    // 0.05625, half up
            assertThat(line.total()).isEqualTo("0.81");
            assertThat(TUNING.total()).isEqualTo("360.00");   // untaxed: the net price, scale and all
        }

        @Test
        void shouldRejectAPaymentThatIsNotTheTotal() {
            fixture.given(CREATED, new LineItemAdded(TUNING), new InvoiceSent())
                    .when(new PayInvoice(new BigDecimal("100.00")))
                    .thenRejected(rejection -> assertThat(rejection.message())
                            .isEqualTo("payment of 100.00 does not equal the outstanding total 360.00"));
        }

        @Test
        void shouldPayOnlyASentInvoiceAndOnlyOnce() {
            fixture.given(CREATED, new LineItemAdded(TUNING))
                    .when(new PayInvoice(new BigDecimal("360.00")))
                    .thenRejected(INVOICE_NOT_SENT)
                    .and()
                    .when(new SendInvoice())
                    .thenAccepted()
                    .and()
                    .when(new PayInvoice(new BigDecimal("360")))
                    .thenAccepted()
                    .and()
                    .when(new PayInvoice(new BigDecimal("360")))
                    .thenRejected(INVOICE_ALREADY_PAID);
        }

        @Test
        void shouldAnswerARetriedPaymentWithItsFirstResult() {
            fixture.given(CREATED, new LineItemAdded(TUNING), new InvoiceSent())
                    .when(new PayInvoice(new BigDecimal("360.00")))
                    .thenAccepted()
                    .and()
                    .whenRedelivered()
                    .thenAccepted()
                    .thenNoEvents()
                    .thenVersion(4);
        }
    }

    @Nested
    class Cancel {

        @Test
        void shouldCancelAnUnpaidInvoiceAndFreezeIt() {
            fixture.given(CREATED, new LineItemAdded(CARDS), new InvoiceSent())
                    .when(new CancelInvoice("customer went bankrupt"))
                    .thenEvents(new InvoiceCancelled("customer went bankrupt"))
                    .and()
                    .when(new PayInvoice(new BigDecimal("50.00")))
                    .thenRejected(INVOICE_CANCELLED)
                    .and()
                    .when(new CancelInvoice("twice"))
                    .thenRejected(INVOICE_CANCELLED);
        }

        @Test
        void shouldNotCancelAPaidInvoice() {
            fixture.given(CREATED, new LineItemAdded(CARDS), new InvoiceSent(), new InvoicePaid(new BigDecimal("50.00")))
                    .when(new CancelInvoice("too late"))
                    .thenRejected(INVOICE_ALREADY_PAID);
        }

        @Test
        void shouldRejectAStaleCancellation() {
            fixture.given(CREATED, new LineItemAdded(CARDS))
                    .when(new CancelInvoice("stale"), ExpectedVersion.exactly(1))
                    .thenConflict()
                    .thenVersion(2);
        }
    }

    /**
     * The overdue deadline. The fixture checks events, states and rejections on the pure engine and
     * the topology; which deadlines a decision schedules or cancels is read from the decision itself.
     */
    @Nested
    class Overdue {

        static final Instant DAY_AFTER_DUE = Instant.parse("2026-12-23T00:00:00Z");

        @Test
        void shouldScheduleMarkOverdueForTheStartOfTheDayAfterTheDueDateInUtcWhenSent() {
            assertThat(DUE).isEqualTo("2026-12-22");

            fixture.given(CREATED, new LineItemAdded(TUNING))
                    .when(new SendInvoice())
                    .thenEvents(new InvoiceSent())
                    .thenScheduled(InvoiceAggregate.OVERDUE, DAY_AFTER_DUE, new MarkOverdue());
        }

        @Test
        void shouldGoOverdueOnItsOwnWhenTheDayAfterTheDueDateComesAndNotBefore() {
            fixture.given(CREATED, new LineItemAdded(TUNING))
                    .when(new SendInvoice())
                    .and()
                    .whenTimeAdvancesTo(DAY_AFTER_DUE.minusMillis(1))
                    .thenNothingFired()
                    .and()
                    .whenTimeAdvancesTo(DAY_AFTER_DUE)
                    .thenFired(new MarkOverdue())
                    .thenEvents(new InvoiceOverdue(DUE))
                    .thenState(invoice -> assertThat(invoice.status()).isEqualTo(InvoiceStatus.OVERDUE));
        }

        @Test
        void shouldNeverGoOverdueOncePaid() {
            fixture.given(CREATED, new LineItemAdded(TUNING))
                    .when(new SendInvoice())
                    .and()
                    .when(new PayInvoice(new BigDecimal("360.00")))
                    .thenCancelled(InvoiceAggregate.OVERDUE)
                    .and()
                    .whenTimeAdvancesTo(DAY_AFTER_DUE.plus(java.time.Duration.ofDays(30)))
                    .thenNothingFired()
                    .thenState(invoice -> assertThat(invoice.status()).isEqualTo(InvoiceStatus.PAID));
        }

        @Test
        void shouldScheduleADeadlineAlreadyDueForADueDateInThePastSoTheInvoiceIsOverdueAtOnce() {
            InvoiceCreated longAgo = new InvoiceCreated(ADA, LocalDate.of(2020, 1, 1), LocalDate.of(2020, 1, 31), "EUR");

            fixture.given(longAgo, new LineItemAdded(TUNING))
                    .when(new SendInvoice())
                    .thenScheduled(InvoiceAggregate.OVERDUE, Instant.parse("2020-02-01T00:00:00Z"), new MarkOverdue())
                    .and()
                    .whenTimeAdvancesBy(java.time.Duration.ofSeconds(1))
                    .thenFired(new MarkOverdue())
                    .thenEvents(new InvoiceOverdue(LocalDate.of(2020, 1, 31)));
        }

        @Test
        void shouldMarkASentInvoiceOverdueWhichCanStillBePaid() {
            fixture.given(CREATED, new LineItemAdded(TUNING), new InvoiceSent())
                    .when(new MarkOverdue())
                    .thenEvents(new InvoiceOverdue(DUE))
                    .thenState(invoice -> assertThat(invoice.status()).isEqualTo(InvoiceStatus.OVERDUE))
                    .and()
                    .when(new PayInvoice(new BigDecimal("100.00")))
                    .thenRejected(PAYMENT_AMOUNT_MISMATCH)
                    .and()
                    .when(new PayInvoice(new BigDecimal("360.00")))
                    .thenEvents(new InvoicePaid(new BigDecimal("360.00")))
                    .thenState(invoice -> assertThat(invoice.status()).isEqualTo(InvoiceStatus.PAID))
                    .thenVersion(5);
        }

        @Test
        void shouldCancelTheDeadlineWhenASentInvoiceIsPaidOrCancelled() {
            InvoiceEvent[] sent = {CREATED, new LineItemAdded(TUNING), new InvoiceSent()};

            fixture.given(sent).when(new PayInvoice(new BigDecimal("360.00"))).thenCancelled(InvoiceAggregate.OVERDUE);
            fixture.given(sent).when(new CancelInvoice("wrong customer")).thenCancelled(InvoiceAggregate.OVERDUE);
        }

        @Test
        void shouldChangeNoDeadlineWhenADraftIsCancelledOrAnOverdueInvoiceIsPaidOrWrittenOff() {
            InvoiceEvent[] overdue = {CREATED, new LineItemAdded(TUNING), new InvoiceSent(), new InvoiceOverdue(DUE)};

            fixture.given(CREATED, new LineItemAdded(TUNING)).when(new CancelInvoice("never sent")).thenNoDeadlineChanges();
            fixture.given(overdue).when(new PayInvoice(new BigDecimal("360.00"))).thenNoDeadlineChanges();
            fixture.given(overdue)
                    .when(new CancelInvoice("written off"))
                    .thenEvents(new InvoiceCancelled("written off"))
                    .thenNoDeadlineChanges()
                    .thenState(invoice -> assertThat(invoice.status()).isEqualTo(InvoiceStatus.CANCELLED));
        }

        @Test
        void shouldRefuseTheDeadlinesCommandWhenTheInvoiceIsNoLongerWaitingForPayment() {
            fixture.given(CREATED, new LineItemAdded(TUNING), new InvoiceSent(), new InvoicePaid(new BigDecimal("360.00")))
                    .when(new MarkOverdue())
                    .thenRejected(INVOICE_ALREADY_PAID)
                    .thenVersion(4);
            fixture.given(CREATED, new LineItemAdded(TUNING), new InvoiceSent(), new InvoiceCancelled("gone"))
                    .when(new MarkOverdue())
                    .thenRejected(INVOICE_CANCELLED);
            fixture.given(CREATED, new LineItemAdded(TUNING), new InvoiceSent(), new InvoiceOverdue(DUE))
                    .when(new MarkOverdue())
                    .thenRejected(INVOICE_ALREADY_OVERDUE);
            fixture.given(CREATED, new LineItemAdded(TUNING))
                    .when(new MarkOverdue())
                    .thenRejected(INVOICE_NOT_SENT);
            fixture.givenNothing()
                    .when(new MarkOverdue())
                    .thenRejected(INVOICE_NOT_FOUND);
        }

        @Test
        void shouldKeepTheLinesOfAnOverdueInvoice() {
            fixture.given(CREATED, new LineItemAdded(TUNING), new InvoiceSent(), new InvoiceOverdue(DUE))
                    .when(new AddLineItem(CARDS))
                    .thenRejected(INVOICE_NOT_DRAFT)
                    .and()
                    .when(new SendInvoice())
                    .thenRejected(INVOICE_NOT_DRAFT);
        }
    }
}
