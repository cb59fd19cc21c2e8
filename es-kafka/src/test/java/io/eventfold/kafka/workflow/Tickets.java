package io.eventfold.kafka.workflow;

import io.eventfold.core.Aggregate;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Command;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;
import io.eventfold.core.ProcessManager;
import io.eventfold.core.Reaction;
import io.eventfold.core.Reaction.Send;
import io.eventfold.core.account.AccountCommand;

import java.time.Instant;

/** A ticket that expires through a deadline unless closed, and a process manager that bills its owner's account. */
final class Tickets {

    private Tickets() {
    }

    sealed interface TicketCommand permits Open, Close, Expire, Postpone {
    }

    record Open(String owner, Instant dueAt) implements TicketCommand {
    }

    record Close() implements TicketCommand {
    }

    record Expire() implements TicketCommand {
    }

    /** Reschedules the expiry; with {@code forget} it cancels it and records no event (a misuse the engine refuses). */
    record Postpone(Instant dueAt, boolean forget) implements TicketCommand {
    }

    sealed interface TicketEvent permits Opened, Closed, Expired, Postponed {
    }

    record Opened(String owner, Instant dueAt) implements TicketEvent {
    }

    record Closed() implements TicketEvent {
    }

    record Expired() implements TicketEvent {
    }

    record Postponed(Instant dueAt) implements TicketEvent {
    }

    record Ticket(String status, String owner) {
        static final Ticket NEW = new Ticket("NEW", "");
    }

    static final Aggregate<TicketCommand, TicketEvent, Ticket> AGGREGATE = Aggregate.of(Ticket.NEW,
            (command, ticket) -> {
                if (command instanceof Open open) {
                    return ticket.status().equals("NEW")
                            ? Decision.schedule("expiry", open.dueAt(), new Expire()).accept(new Opened(open.owner(), open.dueAt()))
                            : Decision.reject("ALREADY_OPEN", "ticket is " + ticket.status());
                }
                if (!ticket.status().equals("OPEN")) {
                    return Decision.reject("NOT_OPEN", "ticket is " + ticket.status());
                }
                if (command instanceof Close) {
                    return Decision.cancel("expiry").accept(new Closed());
                }
                if (command instanceof Postpone postpone) {
                    return postpone.forget() ? Decision.cancel("expiry").accept()
                            : Decision.schedule("expiry", postpone.dueAt(), new Expire()).accept(new Postponed(postpone.dueAt()));
                }
                return Decision.accept(new Expired());
            },
            (ticket, event) -> {
                if (event instanceof Opened opened) {
                    return new Ticket("OPEN", opened.owner());
                }
                if (event instanceof Closed) {
                    return new Ticket("CLOSED", ticket.owner());
                }
                if (event instanceof Expired) {
                    return new Ticket("EXPIRED", ticket.owner());
                }
                return ticket;
            });

    /** What the billing manager remembers of a ticket: its owner, and how many of its commands were refused. */
    record Billing(String owner, int refused) {
        static final Billing NONE = new Billing("", 0);
    }

    /**
     * Opens the owner's account when a ticket opens; charges 5 when it expires; a refused charge is
     * answered with a deposit of 1. An owner named "boom" makes it throw.
     */
    static final class BillingManager implements ProcessManager<TicketEvent, Billing, AccountCommand> {

        @Override
        public Billing initialState() {
            return Billing.NONE;
        }

        @Override
        public Reaction<Billing, AccountCommand> react(Billing billing, Event<TicketEvent> event) {
            if (event.payload() instanceof Opened opened) {
                if (opened.owner().equals("boom")) {
                    throw new IllegalStateException("cannot bill " + event.aggregateId());
                }
                return Reaction.of(new Billing(opened.owner(), 0), Send.to(opened.owner(), new AccountCommand.Open(opened.owner())));
            }
            if (event.payload() instanceof Expired) {
                return Reaction.of(billing, Send.to(billing.owner(), new AccountCommand.Withdraw(5)));
            }
            return Reaction.of(billing);
        }

        @Override
        public Reaction<Billing, AccountCommand> onResult(Billing billing, Command<AccountCommand> sent, CommandResult<?, ?> result) {
            if (result instanceof CommandResult.Rejected<?, ?>) {
                return Reaction.of(new Billing(billing.owner(), billing.refused() + 1),
                        Send.to(billing.owner(), new AccountCommand.Deposit(1)));
            }
            return Reaction.of(billing);
        }
    }
}
