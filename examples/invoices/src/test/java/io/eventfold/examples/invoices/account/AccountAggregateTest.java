package io.eventfold.examples.invoices.account;

import io.eventfold.examples.invoices.Accounts;
import io.eventfold.examples.invoices.account.AccountCommand.ChargeAccount;
import io.eventfold.examples.invoices.account.AccountCommand.CreditAccount;
import io.eventfold.examples.invoices.account.AccountCommand.ReverseCharge;
import io.eventfold.examples.invoices.account.AccountEvent.AccountCharged;
import io.eventfold.examples.invoices.account.AccountEvent.AccountCredited;
import io.eventfold.examples.invoices.account.AccountEvent.ChargeReversed;
import io.eventfold.testkit.AggregateFixture;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static io.eventfold.examples.invoices.account.AccountRejections.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of a customer account, each scenario run as pure functions and through the real topology. */
class AccountAggregateTest {

    static final BigDecimal TOTAL = new BigDecimal("420.00");
    static final AccountCharged CHARGED = new AccountCharged("INV-1", "EUR", TOTAL);

    final AggregateFixture<AccountCommand, AccountEvent, Account> fixture = AggregateFixture.of(Accounts.TYPE).withAggregateId("ada@example.com");

    @Test
    void shouldOweTheInvoicesChargedAndNotSettledPerCurrency() {
        fixture.given(CHARGED, new AccountCharged("INV-2", "EUR", new BigDecimal("80.50")), new AccountCharged("INV-3", "USD", BigDecimal.TEN))
                .when(new ChargeAccount("INV-4", "EUR", new BigDecimal("0.81")))
                .thenEvents(new AccountCharged("INV-4", "EUR", new BigDecimal("0.81")))
                .thenState(account -> assertThat(account.balances())
                        .isEqualTo(Map.of("EUR", new Balance(new BigDecimal("501.31"), 3), "USD", new Balance(BigDecimal.TEN, 1))))
                .thenVersion(4);
    }

    @Test
    void shouldChargeAnInvoiceOnceWhateverTheCommandId() {
        fixture.given(CHARGED)
                .when(new ChargeAccount("INV-1", "EUR", TOTAL))
                .thenRejected(INVOICE_ALREADY_CHARGED)
                .thenState(account -> assertThat(account.balances()).isEqualTo(Map.of("EUR", new Balance(TOTAL, 1))));
        fixture.given(CHARGED, new AccountCredited("INV-1", "EUR", TOTAL))
                .when(new ChargeAccount("INV-1", "EUR", TOTAL))
                .thenRejected(INVOICE_ALREADY_CHARGED);
    }

    @Test
    void shouldCreditThePaymentOfAnOpenChargeOnce() {
        fixture.given(CHARGED)
                .when(new CreditAccount("INV-1", "EUR", new BigDecimal("420")))
                .thenEvents(new AccountCredited("INV-1", "EUR", new BigDecimal("420")))
                .thenState(account -> {
                    assertThat(account.balances()).isEqualTo(Map.of("EUR", Balance.NONE));
                    assertThat(account.charge("INV-1")).contains(new InvoiceCharge("EUR", TOTAL, InvoiceCharge.Status.CREDITED));
                })
                .and()
                .when(new CreditAccount("INV-1", "EUR", TOTAL))
                .thenRejected(INVOICE_ALREADY_SETTLED)
                .and()
                .when(new ReverseCharge("INV-1"))
                .thenRejected(INVOICE_ALREADY_SETTLED);
    }

    @Test
    void shouldReverseAnOpenChargeWithItsAmount() {
        fixture.given(CHARGED, new AccountCharged("INV-2", "EUR", BigDecimal.ONE))
                .when(new ReverseCharge("INV-1"))
                .thenEvents(new ChargeReversed("INV-1", "EUR", TOTAL))
                .thenState(account -> assertThat(account.balances()).isEqualTo(Map.of("EUR", new Balance(BigDecimal.ONE, 1))))
                .and()
                .when(new CreditAccount("INV-1", "EUR", TOTAL))
                .thenRejected(INVOICE_ALREADY_SETTLED);
    }

    @Test
    void shouldRefuseToSettleAnInvoiceNeverChargedOrWithAnotherAmount() {
        fixture.given(CHARGED)
                .when(new CreditAccount("INV-9", "EUR", TOTAL))
                .thenRejected(INVOICE_NOT_CHARGED)
                .and()
                .when(new ReverseCharge("INV-9"))
                .thenRejected(INVOICE_NOT_CHARGED)
                .and()
                .when(new CreditAccount("INV-1", "EUR", new BigDecimal("400.00")))
                .thenRejected(rejection -> assertThat(rejection.message())
                        .isEqualTo("a credit of 400.00 EUR does not settle the charge of 420.00 EUR for invoice INV-1"))
                .and()
                .when(new CreditAccount("INV-1", "USD", TOTAL))
                .thenRejected(CREDIT_MISMATCH)
                .thenVersion(1);
    }

    @Test
    void shouldRefuseAChargeWithoutAnInvoiceACurrencyOrAnAmount() {
        fixture.givenNothing()
                .when(new ChargeAccount(" ", "EUR", TOTAL))
                .thenRejected(INVALID_INVOICE)
                .and()
                .when(new ChargeAccount("INV-1", "euro", TOTAL))
                .thenRejected(INVALID_CURRENCY)
                .and()
                .when(new ChargeAccount("INV-1", "EUR", new BigDecimal("-1")))
                .thenRejected(INVALID_AMOUNT)
                .and()
                .when(new ChargeAccount("INV-1", "EUR", null))
                .thenRejected(INVALID_AMOUNT)
                .thenVersion(0);
    }
}
