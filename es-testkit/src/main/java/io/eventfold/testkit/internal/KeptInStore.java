package io.eventfold.testkit.internal;

/**
 * Stands for the command of a deadline the topology runner saw scheduled: the event record's
 * {@code eventfold.deadlines} header names the deadline and its due time, and the command stays
 * in the deadline store until it fires, where the runners' commands are compared.
 */
public enum KeptInStore {
    COMMAND;

    @Override
    public String toString() {
        return "(its command kept in the deadline store)";
    }
}
