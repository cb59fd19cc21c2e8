package io.eventfold.testkit.trial;

/** The trial-accounts manager's state per trial: the account it opens, and how many of its commands were refused. */
public record TrialAccount(String account, int refusals) {

    public static final TrialAccount NONE = new TrialAccount("", 0);

    public TrialAccount refused() {
        return new TrialAccount(account, refusals + 1);
    }
}
