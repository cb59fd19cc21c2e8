package io.eventfold.testkit.internal;

import io.eventfold.core.Command;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.ExpectedVersion;
import io.eventfold.core.MetadataPolicy;
import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountAggregate;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.testkit.Check;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The topology-output check, fed with records a broken topology could write. */
class ScenarioChecksTest {

    private static final Instant AT = Instant.parse("2026-01-01T09:00:00Z");
    private final AccountAggregate aggregate = new AccountAggregate();
    private final Command<AccountCommand> command =
            new Command<>("c1", "acc-1", ExpectedVersion.any(), new AccountCommand.Deposit(5), Map.of());
    private final Account state = new Account(Account.Status.OPEN, "alice", 5);
    private final RunnerOutcome<AccountEvent, Account> outcome = new RunnerOutcome<>("topology",
            new CommandResult.Accepted<>("c1", "acc-1", 2, List.of(), state),
            List.of(new Event<>("acc-1", 2, "c1", AT, new AccountEvent.Deposited(5))), state, 2, false);

    private final TopologyRecords.Written good = new TopologyRecords.Written("acc-1", "c1", "2", "c1", Map.of());

    private void check(TopologyRecords records) {
        check(records, false);
    }

    private void check(TopologyRecords records, boolean pureSawADuplicate) {
        RunnerOutcome<AccountEvent, Account> pure = new RunnerOutcome<>("pure", outcome.result(), outcome.events(),
                outcome.state(), outcome.version(), pureSawADuplicate);
        new ScenarioChecks<>(aggregate, MetadataPolicy.all(), null, () -> records, Set.of(Check.TOPOLOGY_OUTPUTS))
                .afterCommand(command, List.of(pure, outcome), Map.of(), true, "Scenario\n");
    }

    @Test
    void shouldAcceptOutputsKeyedAndHeadedAsPromised() {
        assertThatCode(() -> check(new TopologyRecords(List.of(good), List.of(good), List.of(good), 0))).doesNotThrowAnyException();
    }

    @Test
    void shouldListEveryWrongKeyHeaderAndDeadLetter() {
        TopologyRecords.Written event = new TopologyRecords.Written("acc-9", "c2", "7", "c1", Map.of());
        TopologyRecords.Written result = new TopologyRecords.Written("acc-1", null, "1", "c1", Map.of());

        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
                () -> check(new TopologyRecords(List.of(event), List.of(), List.of(result, good), 1)));

        assertThat(error.getMessage()).startsWith("the topology's output records are not as Eventfold promises [check TOPOLOGY_OUTPUTS]")
                .contains("""
                          event #1 is keyed 'acc-9', expected the aggregate id 'acc-1'
                          event #1 has command-id header 'c2', expected 'c1'
                          event #1 has version header '7', expected '2'
                          2 results were written, expected exactly one
                          result has command-id header 'null', expected 'c1'
                          result has version header '1', expected '2'
                          0 snapshots were written, expected 1
                          1 record(s) went to the dead-letter topic
                        """);
    }

    @Test
    void shouldNoticeARedeliveryThatIsNotMarkedAsADuplicate() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
                () -> check(new TopologyRecords(List.of(good), List.of(good), List.of(good), 0), true));

        assertThat(error.getMessage()).contains("the result is not marked as a duplicate, but the command was handled before");
    }

    // ---- correlation id and metadata -------------------------------------------------------

    private static final Map<String, String> WHO = Map.of("user", "alice", "trace", "t-1");
    private final Command<AccountCommand> audited =
            new Command<>("c1", "acc-1", ExpectedVersion.any(), new AccountCommand.Deposit(5), WHO, "order-7");

    private RunnerOutcome<AccountEvent, Account> accepted(String runner, String correlationId, Map<String, String> metadata) {
        List<Event<AccountEvent>> events = List.of(new Event<>("acc-1", 2, "c1", AT, new AccountEvent.Deposited(5), correlationId, metadata));
        return new RunnerOutcome<>(runner, new CommandResult.Accepted<>("c1", "acc-1", 2, events, state), events, state, 2, false);
    }

    private static TopologyRecords.Written headed(String correlationId, Map<String, String> metadata) {
        return new TopologyRecords.Written("acc-1", "c1", "2", correlationId, metadata);
    }

    private void checkAudited(MetadataPolicy policy, Check check, RunnerOutcome<AccountEvent, Account> pure,
                              RunnerOutcome<AccountEvent, Account> topology, TopologyRecords records) {
        new ScenarioChecks<>(aggregate, policy, null, () -> records, Set.of(check))
                .afterCommand(audited, List.of(pure, topology), Map.of(), true, "Scenario\n");
    }

    @Test
    void shouldAcceptHeadersThatCarryTheCorrelationIdAndTheMetadataThePolicyKeeps() {
        Map<String, String> kept = Map.of("user", "alice");
        TopologyRecords.Written written = headed("order-7", kept);

        assertThatCode(() -> checkAudited(MetadataPolicy.only("user"), Check.TOPOLOGY_OUTPUTS, accepted("pure", "order-7", kept),
                accepted("topology", "order-7", kept), new TopologyRecords(List.of(written), List.of(written), List.of(written), 0)))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldListEveryRecordWhoseHeadersLoseTheCorrelationIdOrMetadata() {
        TopologyRecords records = new TopologyRecords(List.of(headed("c1", Map.of("user", "alice"))),
                List.of(headed("order-7", Map.of())), List.of(headed(null, WHO)), 0);

        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> checkAudited(MetadataPolicy.all(),
                Check.TOPOLOGY_OUTPUTS, accepted("pure", "order-7", WHO), accepted("topology", "order-7", WHO), records));

        assertThat(error.getMessage()).startsWith("the topology's output records are not as Eventfold promises [check TOPOLOGY_OUTPUTS]")
                .contains("""
                          event #1 has correlation-id header 'c1', expected 'order-7'
                          event #1 has metadata headers {user=alice}, expected {trace=t-1, user=alice}
                          result has correlation-id header 'null', expected 'order-7'
                          snapshot has metadata headers {}, expected {trace=t-1, user=alice}
                        """);
    }

    @Test
    void shouldReportHeadersThatKeepWhatThePolicyDrops() {
        Map<String, String> kept = Map.of("user", "alice");
        TopologyRecords records = new TopologyRecords(List.of(headed("order-7", WHO)), List.of(headed("order-7", kept)),
                List.of(headed("order-7", kept)), 0);

        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> checkAudited(MetadataPolicy.only("user"),
                Check.TOPOLOGY_OUTPUTS, accepted("pure", "order-7", kept), accepted("topology", "order-7", kept), records));

        assertThat(error.getMessage()).contains("\n  event #1 has metadata headers {trace=t-1, user=alice}, expected {user=alice}\n\n");
    }

    @Test
    void shouldNotExpectTheCorrelationIdOrMetadataOnAResultReSentForARedelivery() {
        CommandResult<AccountEvent, Account> answer = new CommandResult.AlreadyAccepted<>("c1", "acc-1", 2, 1);
        RunnerOutcome<AccountEvent, Account> pure = new RunnerOutcome<>("pure", answer, List.of(), state, 2, true);
        RunnerOutcome<AccountEvent, Account> topology = new RunnerOutcome<>("topology", answer, List.of(), state, 2, true);

        assertThatCode(() -> checkAudited(MetadataPolicy.all(), Check.TOPOLOGY_OUTPUTS, pure, topology,
                new TopologyRecords(List.of(), List.of(), List.of(headed(null, Map.of())), 0))).doesNotThrowAnyException();
    }

    @Test
    void shouldFindEventsWhoseMetadataDoesNotSurviveTheTopology() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> checkAudited(MetadataPolicy.all(),
                Check.RUNNERS_AGREE, accepted("pure", "order-7", WHO), accepted("topology", "order-7", Map.of("user", "alice")),
                TopologyRecords.NONE));

        assertThat(error.getMessage()).isEqualTo("""
                the pure and topology runners disagree [check RUNNERS_AGREE]

                Scenario

                First difference (expected = pure, actual = topology): result.events[0].metadata[trace]: expected "t-1" but was null

                Events:
                    # | expected                                                                    | topology
                  ✘ 1 | Deposited[amount=5] correlation id order-7 metadata {trace=t-1, user=alice} | Deposited[amount=5] correlation id order-7 metadata {user=alice}

                Probable cause: the event envelope loses its metadata or correlation id on its way through Kafka (written to or \
                read from JSON), so the audit trail on the events topic is not the one the command engine made.

                (This check runs after every command; AggregateFixture.withoutChecks(Check.RUNNERS_AGREE) switches it off, \
                for a test that breaks it on purpose.)""");
    }

    @Test
    void shouldFindEventsWhoseCorrelationIdDoesNotSurviveTheTopology() {
        AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () -> checkAudited(MetadataPolicy.all(),
                Check.RUNNERS_AGREE, accepted("pure", "order-7", Map.of()), accepted("topology", null, Map.of()), TopologyRecords.NONE));

        assertThat(error.getMessage())
                .contains("First difference (expected = pure, actual = topology): result.events[0].correlationId: expected \"order-7\" but was \"c1\"")
                .contains("  ✘ 1 | Deposited[amount=5] correlation id order-7 | Deposited[amount=5]\n")
                .contains("Probable cause: the event envelope loses its metadata or correlation id");
    }
}
