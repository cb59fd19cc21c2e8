package io.eventfold.testkit.trial;

import java.time.Instant;

public record Trial(Status status, Instant endsAt, int reminders) {

    public enum Status { NEW, TRIAL, SUBSCRIBED, ENDED }

    public static final Trial NEW = new Trial(Status.NEW, Instant.EPOCH, 0);
}
