package io.eventfold.core.account;

public sealed interface AccountEvent {

    record Opened(String owner) implements AccountEvent {
    }

    record Deposited(long amount) implements AccountEvent {
    }

    record Withdrawn(long amount) implements AccountEvent {
    }

    record Closed() implements AccountEvent {
    }

    /** An event whose evolve throws. */
    record Poisoned() implements AccountEvent {
    }

    /** An event whose evolve returns null. */
    record Nullified() implements AccountEvent {
    }
}
