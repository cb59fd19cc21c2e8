package io.eventfold.kafka.workflow;

import io.eventfold.core.Aggregate;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Command;
import io.eventfold.core.Decision;
import io.eventfold.core.Event;
import io.eventfold.core.ProcessManager;
import io.eventfold.core.Reaction;
import io.eventfold.core.Reaction.Send;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.ProcessManagerType;

import java.time.Instant;

/**
 * A ticket that expires through a deadline unless closed, and a process manager that bills its
 * owner's account: the domain of the workflow tests, on the driver and on a real broker.
 */
public final class Tickets {

    private Tickets() {
    }

    public sealed interface TicketCommand permits Open, Close, Expire, Postpone {
    }

    public record Open(String owner, Instant dueAt) implements TicketCommand {
    }

    public record Close() implements TicketCommand {
    }

    public record Expire() implements TicketCommand {
    }

    /** Reschedules the expiry; with {@code forget} it cancels it and records no event (a misuse the engine refuses). */
    public record Postpone(Instant dueAt, boolean forget) implements TicketCommand {
    }

    public sealed interface TicketEvent permits Opened, Closed, Expired, Postponed {
    }

    public record Opened(String owner, Instant dueAt) implements TicketEvent {
    }

    public record Closed() implements TicketEvent {
    }

    public record Expired() implements TicketEvent {
    }

    public record Postponed(Instant dueAt) implements TicketEvent {
    }

    public record Ticket(String status, String owner) {
        public static final Ticket NEW = new Ticket("NEW", "");
    }

    public static final Aggregate<TicketCommand, TicketEvent, Ticket> AGGREGATE = Aggregate.of(Ticket.NEW,
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

    // After AGGREGATE: static fields are initialised in the order they are written.
    /** The tickets, on topics {@code ticket-*}. */
    public static final AggregateType<TicketCommand, TicketEvent, Ticket> TICKETS = AggregateType.builder("ticket", Tickets.AGGREGATE)
            .commands(TicketCommand.class).events(TicketEvent.class).state(Ticket.class).build();
    /** The accounts the tickets are billed to, on topics {@code account-*}. */
    public static final AggregateType<AccountCommand, AccountEvent, Account> ACCOUNTS = AggregateType.builder("account",
            new AccountAggregate()).commands(AccountCommand.class).events(AccountEvent.class).state(Account.class).build();
    /** The billing process manager: ticket events in, account commands out. */
    public static final ProcessManagerType<TicketEvent, Billing, AccountCommand> BILLING =
            ProcessManagerType.builder("ticket-billing", new BillingManager()).from(TICKETS).to(ACCOUNTS).state(Billing.class).build();

    /** What the billing manager remembers of a ticket: its owner, and how many of its commands were refused. */
    public record Billing(String owner, int refused) {
        public static final Billing NONE = new Billing("", 0);
    }

    /**
     * Opens the owner's account when a ticket opens; charges 5 when it expires; a refused charge is
     * answered with a deposit of 1. An owner named "boom" makes it throw.
     */
    public static final class BillingManager implements ProcessManager<TicketEvent, Billing, AccountCommand> {

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
