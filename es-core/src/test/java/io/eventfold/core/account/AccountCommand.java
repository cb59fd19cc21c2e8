package io.eventfold.core.account;

import java.util.List;

public sealed interface AccountCommand {

    record Open(String owner) implements AccountCommand {
    }

    record Deposit(long amount) implements AccountCommand {
    }

    record DepositInParts(List<Long> amounts) implements AccountCommand {
    }

    record Withdraw(long amount) implements AccountCommand {
    }

    record Close() implements AccountCommand {
    }

    /** Makes user code misbehave, to exercise the engine's failure handling. */
    record Misbehave(Fault fault) implements AccountCommand {
    }

    enum Fault { THROW_IN_DECIDE, NULL_DECISION, THROW_IN_EVOLVE, NULL_STATE, STACK_OVERFLOW }
}
