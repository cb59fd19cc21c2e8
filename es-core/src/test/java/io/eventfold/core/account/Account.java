package io.eventfold.core.account;

public record Account(Status status, String owner, long balance) {

    public enum Status { NEW, OPEN, CLOSED }

    public static final Account NEW = new Account(Status.NEW, "", 0);
}
