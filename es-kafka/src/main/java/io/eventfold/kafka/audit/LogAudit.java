package io.eventfold.kafka.audit;

import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventfoldConfig;
import io.eventfold.kafka.EventfoldHeaders;
import io.eventfold.core.CommandResult;
import io.eventfold.core.Event;
import io.eventfold.core.HistoryInvariants;
import io.eventfold.core.Snapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks Eventfold's guarantees on the topics of an aggregate type, as they are on the brokers:
 * reads the commands, results, events and snapshots topics with {@code read_committed}, to their
 * current end, one after the other, and lists every violation. Usable on production topics in a
 * quiet period: commands arriving while the audit reads show up as results without events, or
 * snapshots ahead of their events.
 *
 * <pre>{@code
 * AuditReport report = LogAudit.of(invoices).run(EventfoldConfig.readCommittedConsumer("kafka:9092", "audit"));
 * }</pre>
 *
 * <p>It reports: a command id with no result, with more than one final result, or with a result
 * after its final one (re-sent duplicates aside; failures may come before the final result, since
 * a failed command is handled again when it is sent again); an
 * accepted result whose events are missing or extra; events of a rejected, conflicting or failed
 * command; per-aggregate event versions that are not contiguous from 1; and a latest snapshot
 * whose version is not the last event's or whose state is not the replay of the events. Run it
 * when the application has caught up (a command not yet handled has no result), and within the
 * retention of the results topic (see {@link io.eventfold.kafka.TopicRole#COMMAND_RESULTS}): older commands have lost their results.
 *
 * <p>From a shell, with the application's classes on the class path:
 * {@code java -cp app.jar:… io.eventfold.kafka.audit.LogAudit --type com.acme.Invoices#TYPE --bootstrap-servers kafka:9092};
 * the exit status is 0 without violations, 1 with, 2 for bad arguments, 3 when the topics cannot be read.
 *
 * @param <C> the command type
 * @param <E> the event type
 * @param <S> the state type
 */
public final class LogAudit<C, E, S> {

    private final AggregateType<C, E, S> type;

    private LogAudit(AggregateType<C, E, S> type) {
        this.type = Objects.requireNonNull(type, "type must not be null");
    }

    /**
     * An audit of one aggregate type.
     *
     * @param type the aggregate type whose topics to read
     * @param <C> the command type
     * @param <E> the event type
     * @param <S> the state type
     * @return the audit
     */
    public static <C, E, S> LogAudit<C, E, S> of(AggregateType<C, E, S> type) {
        return new LogAudit<>(type);
    }

    /**
     * Reads the four topics to their end and checks them.
     *
     * @param consumerProperties bootstrap servers and security settings; the audit assigns
     *     partitions itself (no group) and always reads {@code read_committed}
     * @return the report
     */
    public AuditReport run(Properties consumerProperties) {
        TopicReader reader = new TopicReader(consumerProperties, Duration.ofMinutes(5));
        Set<String> commandIds = new LinkedHashSet<>();
        for (ConsumerRecord<String, byte[]> record : reader.readAll(type.topics().commands())) {
            String commandId = commandId(record);
            if (commandId != null) {
                commandIds.add(commandId);
            }
        }
        Map<String, List<CommandResult<E, S>>> results = new HashMap<>();
        long duplicates = 0;
        for (ConsumerRecord<String, byte[]> record : reader.readAll(type.topics().commandResults())) {
            if (EventfoldHeaders.isDuplicate(record.headers())) {
                duplicates++;
                continue;
            }
            CommandResult<E, S> result = type.serdes().results().deserializer().deserialize(record.topic(), record.value());
            results.computeIfAbsent(result.commandId(), id -> new ArrayList<>()).add(result);
        }
        Map<String, List<Event<E>>> events = new TreeMap<>();
        long eventCount = 0;
        for (ConsumerRecord<String, byte[]> record : reader.readAll(type.topics().events())) {
            Event<E> event = type.serdes().events().deserializer().deserialize(record.topic(), record.value());
            events.computeIfAbsent(event.aggregateId(), id -> new ArrayList<>()).add(event);
            eventCount++;
        }
        Map<String, Snapshot<S>> snapshots = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : reader.readAll(type.topics().snapshots())) {
            if (record.value() != null) {
                snapshots.put(record.key(), type.serdes().snapshots().deserializer().deserialize(record.topic(), record.value()));
            }
        }
        long deadLetters = reader.readAll(type.topics().deadLetters()).size();
        List<String> violations = new ArrayList<>();
        checkResults(commandIds, results, violations);
        Map<String, Integer> eventsPerCommand = checkEvents(events, snapshots, violations);
        checkEventsOfResults(results, eventsPerCommand, violations);
        long resultCount = results.values().stream().mapToLong(List::size).sum();
        Map<CommandResult.Kind, Long> byKind = new java.util.EnumMap<>(CommandResult.Kind.class);
        results.values().forEach(list -> list.forEach(result -> byKind.merge(result.kind(), 1L, Long::sum)));
        return new AuditReport(commandIds.size(), resultCount, byKind, duplicates, eventCount, events.size(), deadLetters, violations);
    }

    private void checkResults(Set<String> commandIds, Map<String, List<CommandResult<E, S>>> results, List<String> violations) {
        for (String commandId : commandIds) {
            HistoryInvariants.oneResult(commandId, results.getOrDefault(commandId, List.of())).ifPresent(violations::add);
        }
    }

    private Map<String, Integer> checkEvents(Map<String, List<Event<E>>> events, Map<String, Snapshot<S>> snapshots,
                                             List<String> violations) {
        Map<String, Integer> eventsPerCommand = new HashMap<>();
        events.forEach((aggregateId, history) -> {
            HistoryInvariants.versionsContiguous(aggregateId, history, 1).ifPresent(violations::add);
            history.forEach(event -> eventsPerCommand.merge(event.commandId(), 1, Integer::sum));
            Snapshot<S> snapshot = snapshots.get(aggregateId);
            HistoryInvariants.snapshotAtLastEvent(aggregateId, snapshot, history).ifPresent(violations::add);
            if (snapshot != null) {
                HistoryInvariants.stateIsReplay(type.aggregate(), aggregateId, history.stream().map(Event::payload).toList(),
                        snapshot.state()).ifPresent(violations::add);
            }
        });
        return eventsPerCommand;
    }

    private void checkEventsOfResults(Map<String, List<CommandResult<E, S>>> results, Map<String, Integer> eventsPerCommand,
                                      List<String> violations) {
        results.forEach((commandId, list) -> HistoryInvariants.eventsMatchResult(HistoryInvariants.finalResult(list),
                eventsPerCommand.getOrDefault(commandId, 0)).ifPresent(violations::add));
        eventsPerCommand.keySet().stream().filter(commandId -> !results.containsKey(commandId))
                .forEach(commandId -> violations.add("events of command " + commandId + " but no result"));
    }

    private String commandId(ConsumerRecord<String, byte[]> record) {
        Optional<String> fromHeader = EventfoldHeaders.commandId(record.headers());
        if (fromHeader.isPresent()) {
            return fromHeader.get();
        }
        try {
            return type.serdes().commands().deserializer().deserialize(record.topic(), record.value()).commandId();
        } catch (RuntimeException unreadable) {
            return null; // went to the dead-letter topic: no command id, no result to expect
        }
    }

    /**
     * Runs the audit from a shell and exits 0 (clean), 1 (violations), 2 (bad arguments) or 3 (topics unreadable).
     *
     * @param args {@code --type <class>#<static field> --bootstrap-servers <servers>}
     */
    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String typeReference = options.get("--type");
        String bootstrap = options.get("--bootstrap-servers");
        if (typeReference == null || bootstrap == null || !typeReference.contains("#")) {
            System.err.println("usage: LogAudit --type <class>#<static AggregateType field> --bootstrap-servers <host:port,…>");
            System.exit(2);
            return;
        }
        AggregateType<?, ?, ?> type;
        try {
            type = resolve(typeReference);
        } catch (ReflectiveOperationException | ClassCastException e) {
            System.err.println("cannot find the aggregate type " + typeReference + ": " + e);
            System.exit(2);
            return;
        }
        AuditReport report;
        try {
            report = of(type).run(EventfoldConfig.readCommittedConsumer(bootstrap, "eventfold-audit"));
        } catch (RuntimeException e) {
            System.err.println("the audit could not read the topics of " + type.name() + ": " + e);
            System.exit(3);
            return;
        }
        System.out.println(type.name() + ": " + report.summary());
        System.exit(report.clean() ? 0 : 1);
    }

    private static AggregateType<?, ?, ?> resolve(String reference) throws ReflectiveOperationException {
        String[] parts = reference.split("#", 2);
        Field field = Class.forName(parts[0]).getField(parts[1]);
        if (!Modifier.isStatic(field.getModifiers())) {
            throw new NoSuchFieldException(reference + " is not static");
        }
        return (AggregateType<?, ?, ?>) field.get(null);
    }
}
