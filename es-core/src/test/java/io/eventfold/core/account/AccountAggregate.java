package io.eventfold.core.account;

import io.eventfold.core.Aggregate;
import io.eventfold.core.Decision;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent.*;

import java.util.List;

/** A small bank account, the test aggregate of es-core. */
public final class AccountAggregate implements Aggregate<AccountCommand, AccountEvent, Account> {

    @Override
    public Account initialState() {
        return Account.NEW;
    }

    @Override
    public Decision<AccountEvent> decide(AccountCommand command, Account state) {
        if (command instanceof Misbehave misbehave) {
            return misbehave(misbehave.fault());
        }
        if (command instanceof Open open) {
            return state.status() == Account.Status.NEW
                    ? Decision.accept(new Opened(open.owner()))
                    : Decision.reject("ALREADY_OPEN", "account is " + state.status());
        }
        if (state.status() == Account.Status.NEW) {
            return Decision.reject("NOT_OPEN", "account was never opened");
        }
        if (state.status() == Account.Status.CLOSED) {
            return Decision.reject("ACCOUNT_CLOSED", "account is closed");
        }
        if (command instanceof Deposit deposit) {
            if (deposit.amount() < 0) {
                return Decision.reject("INVALID_AMOUNT", "amount must be >= 0");
            }
            return deposit.amount() == 0 ? Decision.accept() : Decision.accept(new Deposited(deposit.amount()));
        }
        if (command instanceof DepositInParts parts) {
            if (parts.amounts().stream().anyMatch(amount -> amount <= 0)) {
                return Decision.reject("INVALID_AMOUNT", "every part must be > 0");
            }
            return Decision.accept(parts.amounts().stream().map(Deposited::new).toList());
        }
        if (command instanceof Withdraw withdraw) {
            if (withdraw.amount() <= 0 || withdraw.amount() > state.balance()) {
                return Decision.reject("INSUFFICIENT_FUNDS", "balance is " + state.balance());
            }
            return Decision.accept(new Withdrawn(withdraw.amount()));
        }
        if (command instanceof Close) {
            return state.balance() == 0
                    ? Decision.accept(new Closed())
                    : Decision.reject("BALANCE_NOT_ZERO", "balance is " + state.balance());
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private Decision<AccountEvent> misbehave(Fault fault) {
        return switch (fault) {
            case THROW_IN_DECIDE -> throw new IllegalStateException("decide exploded");
            case NULL_DECISION -> null;
            case THROW_IN_EVOLVE -> Decision.accept(List.of(new Deposited(1), new Poisoned()));
            case NULL_STATE -> Decision.accept(new Nullified());
            case STACK_OVERFLOW -> recurseForever(0);
        };
    }

    private Decision<AccountEvent> recurseForever(int depth) {
        return depth < 0 ? Decision.accept() : recurseForever(depth + 1);
    }

    @Override
    public Account evolve(Account state, AccountEvent event) {
        if (event instanceof Opened opened) {
            return new Account(Account.Status.OPEN, opened.owner(), 0);
        }
        if (event instanceof Deposited deposited) {
            return new Account(state.status(), state.owner(), state.balance() + deposited.amount());
        }
        if (event instanceof Withdrawn withdrawn) {
            return new Account(state.status(), state.owner(), state.balance() - withdrawn.amount());
        }
        if (event instanceof Closed) {
            return new Account(Account.Status.CLOSED, state.owner(), state.balance());
        }
        if (event instanceof Poisoned) {
            throw new ArithmeticException("evolve exploded");
        }
        return null; // Nullified: breaks the contract on purpose
    }
}
