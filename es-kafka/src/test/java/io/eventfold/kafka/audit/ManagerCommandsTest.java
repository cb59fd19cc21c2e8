package io.eventfold.kafka.audit;

import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ProcessManager;
import io.eventfold.core.Reaction;
import io.eventfold.core.Reaction.Send;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopologyTest;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.kafka.internal.RecordPosition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A process manager's commands against the replay of the manager over its source events. */
class ManagerCommandsTest {

    private static final Instant AT = Instant.parse("2026-11-30T08:00:00Z");
    private static final AggregateType<AccountCommand, AccountEvent, Account> CUSTOMERS = EventSourcedTopologyTest.accounts("customer");
    private static final AggregateType<AccountCommand, AccountEvent, Account> BONUSES = EventSourcedTopologyTest.accounts("bonus");

    /** A customer opened: a bonus account deposit of 10; a deposit of 100 or more: 1 to each of two lotteries; "boom" throws. */
    private static final ProcessManager<AccountEvent, String, AccountCommand> WELCOME = ProcessManager.of("", (owner, event) -> {
        if (event.payload() instanceof AccountEvent.Opened opened) {
            if (opened.owner().equals("boom")) {
                throw new IllegalStateException("no welcome for boom");
            }
            return Reaction.of(opened.owner(), Send.to("bonus-" + opened.owner(), new AccountCommand.Deposit(10)));
        }
        if (event.payload() instanceof AccountEvent.Deposited deposited && deposited.amount() >= 100) {
            return Reaction.of(owner, Send.to("lottery-a", new AccountCommand.Deposit(1)), Send.to("lottery-b", new AccountCommand.Deposit(1)));
        }
        return Reaction.of(owner);
    });
    private static final ProcessManagerType<AccountEvent, String, AccountCommand> MANAGER =
            ProcessManagerType.builder("welcome", WELCOME).from(CUSTOMERS).to(BONUSES).state(String.class).build();

    private final AuditTally tally = new AuditTally();
    private final ManagerCommands<AccountEvent, String, AccountCommand> commands = new ManagerCommands<>(MANAGER, tally.violations());

    private static Event<AccountEvent> event(String aggregateId, long version, AccountEvent payload) {
        return new Event<>(aggregateId, version, "c-" + version, AT, payload);
    }

    private static RecordPosition at(long offset) {
        return new RecordPosition("customer-events", 0, offset);
    }

    @SafeVarargs
    private void replay(Event<AccountEvent>... events) {
        for (int i = 0; i < events.length; i++) {
            commands.event(at(i), AT.toEpochMilli(), events[i]);
        }
        commands.partitionReplayed();
    }

    @Test
    void shouldFindEveryCommandTheReplayDerivesSentAndCountThem() {
        commands.sent("bonus-ann", "welcome/customer/c-1/1/0", 0, 0, false);
        commands.sent("lottery-a", "welcome/customer/c-1/2/0", 1, 0, false);
        commands.sent("lottery-b", "welcome/customer/c-1/2/1", 0, 1, false);
        commands.sent("lottery-b", "welcome/customer/c-1/2/1", 0, 2, false); // sent again (a resend): one command
        commands.sent("bonus-ann", "welcome/customer/c-1/result-1/0", 0, 3, false);
        commands.answered(0, key -> key.commandId().endsWith("/0") ? CommandResult.Kind.ACCEPTED : CommandResult.Kind.REJECTED);
        commands.answered(1, key -> null);

        replay(event("c-1", 1, new AccountEvent.Opened("ann")), event("c-1", 2, new AccountEvent.Deposited(500)),
                event("c-1", 3, new AccountEvent.Deposited(5)));

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(commands.finish()).isEqualTo(new ProcessManagerCounts("welcome", 3, 4, 1, 3, 0, 0, 0));
    }

    @Test
    void shouldReportACommandDerivedFromAnEventAndNotSent() {
        commands.sent("lottery-a", "welcome/customer/c-1/2/0", 0, 0, false);

        replay(event("c-1", 1, new AccountEvent.Opened("ann")), event("c-1", 2, new AccountEvent.Deposited(500)));

        assertThat(tally.violations().kept()).containsExactlyInAnyOrder(
                "event c-1@1 of customer (customer-events-0@0): process manager welcome sends command welcome/customer/c-1/1/0"
                        + " to bonus-ann, but it is not on bonus-commands",
                "event c-1@2 of customer (customer-events-0@1): process manager welcome sends command welcome/customer/c-1/2/1"
                        + " to lottery-b, but it is not on bonus-commands");
    }

    @Test
    void shouldReportACommandSentForAnEventThatTheReplayDoesNotDeriveOrSendsElsewhere() {
        commands.sent("bonus-ann", "welcome/customer/c-1/1/0", 0, 0, false);
        commands.sent("bonus-ann", "welcome/customer/c-1/1/1", 0, 1, false);     // a second command for the same event
        commands.sent("bonus-bob", "welcome/customer/c-1/3/0", 0, 2, false);     // an event the manager reacts to with nothing
        commands.sent("bonus-zed", "welcome/customer/c-2/1/0", 0, 3, false);     // to another aggregate than the replay's

        replay(event("c-1", 1, new AccountEvent.Opened("ann")), event("c-1", 2, new AccountEvent.Deposited(5)),
                event("c-1", 3, new AccountEvent.Deposited(5)), event("c-2", 1, new AccountEvent.Opened("bob")));

        assertThat(tally.violations().kept()).containsExactlyInAnyOrder(
                "command welcome/customer/c-1/1/1 on bonus-commands-0@1 was sent by process manager welcome for event c-1@1"
                        + " of customer, but its replay sends no such command",
                "command welcome/customer/c-1/3/0 on bonus-commands-0@2 was sent by process manager welcome for event c-1@3"
                        + " of customer, but its replay sends no such command",
                "command welcome/customer/c-2/1/0 on bonus-commands-0@3 goes to bonus-zed, but process manager welcome sends it"
                        + " to bonus-bob for event c-2@1 of customer (customer-events-0@3)");
    }

    @Test
    void shouldReportACommandWithTheManagersNameButNotAnIdItMakes() {
        commands.sent("bonus-ann", "invoice-7", 0, 5, false);
        commands.sent("bonus-ann", "welcome/customer/c-1/x/0", 0, 6, false);

        assertThat(tally.violations().kept()).containsExactly(
                "command invoice-7 on bonus-commands-0@5 carries eventfold.process-manager=welcome but is not a command id welcome"
                        + " makes (welcome/customer/<aggregate id>/<version or result-n>/<index>)",
                "command welcome/customer/c-1/x/0 on bonus-commands-0@6 carries eventfold.process-manager=welcome but is not a"
                        + " command id welcome makes (welcome/customer/<aggregate id>/<version or result-n>/<index>)");
    }

    @Test
    void shouldDeriveNothingFromAnEventTheManagerDeadLetteredAndReportOneItFailsOnThatIsNotThere() {
        commands.deadLetter(at(0));
        commands.deadLetter(at(3));
        commands.sent("lottery-a", "welcome/customer/c-1/2/0", 0, 0, false);
        commands.sent("lottery-b", "welcome/customer/c-1/2/1", 0, 1, false);

        commands.event(at(0), AT.toEpochMilli(), event("c-1", 1, new AccountEvent.Opened("boom")));
        commands.event(at(1), AT.toEpochMilli(), event("c-1", 2, new AccountEvent.Deposited(500)));
        commands.event(at(2), AT.toEpochMilli(), event("c-2", 1, new AccountEvent.Opened("boom")));
        commands.unreadable(at(3), "not JSON");
        commands.unreadable(at(4), "not JSON");
        commands.partitionReplayed();

        assertThat(tally.violations().kept()).containsExactly(
                "process manager welcome fails on event c-2@1 of customer (customer-events-0@2) (java.lang.IllegalStateException)"
                        + " but it is not on welcome-dlq",
                "process manager welcome cannot read the event at customer-events-0@4 (not JSON) but it is not on welcome-dlq");
        assertThat(commands.finish().deadLetteredEvents()).isEqualTo(2);
    }

    @Test
    void shouldLeaveOutWhatIsOutsideTheWindowOrPastTheManagersPosition() {
        commands.heldFrom(AT.plusSeconds(1).toEpochMilli());
        commands.sent("bonus-ann", "welcome/customer/c-1/5/0", 0, 0, false);      // an event past the position
        commands.sent("bonus-cat", "welcome/customer/c-9/1/0", 0, 1, false);      // an aggregate the replay never reached
        commands.sent("bonus-dan", "welcome/customer/c-3/1/0", 0, 2, true);       // not yet handled by the target
        commands.answered(0, key -> CommandResult.Kind.ACCEPTED);

        // Older than the oldest command held: its command may have been deleted.
        replay(event("c-1", 1, new AccountEvent.Opened("ann")), event("c-3", 1, new AccountEvent.Opened("dan")));

        assertThat(tally.violations().kept()).isEmpty();
        assertThat(commands.finish()).isEqualTo(new ProcessManagerCounts("welcome", 1, 3, 0, 2, 0, 3, 1));
    }

    @Test
    void shouldKeepTheCountsReadable() {
        assertThat(new ProcessManagerCounts("welcome", 3, 4, 1, 4, 0, 0, 0).describe())
                .isEqualTo("welcome: 3 commands derived from events, 4 sent (1 in reply to results), 4 handled, 0 events dead-lettered");
        assertThat(Map.of("c", new DeadlineCounts(4, 1, 2, 1, 0).describe()))
                .containsEntry("c", "4 scheduled, 1 cancelled, 2 fired, 1 waiting");
    }
}
