package io.eventfold.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies every rule of running a {@link ProcessManager}, as a pure function; the Kafka topology
 * and the test kit both call it.
 *
 * <ul>
 *   <li>An event at or below the {@link ProcessState#lastVersion()} is a replay: passed over, nothing sent.</li>
 *   <li>Each command sent in reaction to an event has the command id
 *       {@code <manager>/<source type>/<source aggregate id>/<event version>/<index>}; in reaction
 *       to the result of a command, {@code <manager>/<source type>/<source aggregate id>/result-<n>/<index>},
 *       where {@code n} counts the results handled for that aggregate. The same input always gives
 *       the same ids, so a replay or a retry is deduplicated by the target aggregate.</li>
 *   <li>A command continues the chain of what caused it: the event's correlation id and metadata,
 *       or those of the command whose result it answers.</li>
 *   <li>An exception thrown by the manager, or a {@code null} it returns, makes a {@link Step}
 *       with a failure and nothing sent; the input counts as handled, so it is not retried forever.</li>
 * </ul>
 *
 * <pre>{@code
 * ProcessManagerEngine<InvoiceEvent, String, AccountCommand> engine =
 *     new ProcessManagerEngine<>("invoice-accounts", "invoice", accounts);
 * Step<String, AccountCommand> step = engine.onEvent(ProcessState.initial(accounts), sent);
 * step.commands();   // [Command[commandId=invoice-accounts/invoice/INV-7/2/0, aggregateId=C-1, ...]]
 * }</pre>
 *
 * @param <E> the source event type
 * @param <S> the manager's state type
 * @param <C> the target command type
 */
public final class ProcessManagerEngine<E, S, C> {

    private final String name;
    private final String sourceType;
    private final ProcessManager<E, S, C> manager;

    /**
     * Creates an engine.
     *
     * @param name the manager's name, the first part of the ids of its commands; not blank
     * @param sourceType the name of the aggregate type whose events it reads; not blank
     * @param manager the manager
     */
    public ProcessManagerEngine(String name, String sourceType, ProcessManager<E, S, C> manager) {
        this.name = Checks.notBlank(name, "name");
        this.sourceType = Checks.notBlank(sourceType, "sourceType");
        this.manager = Checks.notNull(manager, "manager");
    }

    /**
     * The manager this engine runs.
     *
     * @return the manager
     */
    public ProcessManager<E, S, C> manager() {
        return manager;
    }

    /**
     * The position before a source aggregate's first event.
     *
     * @return the initial position
     */
    public ProcessState<S> initial() {
        return ProcessState.initial(manager);
    }

    /**
     * Handles one event of a source aggregate.
     *
     * @param current the manager's position for the event's aggregate
     * @param event the event
     * @return the next position and the commands to send
     */
    public Step<S, C> onEvent(ProcessState<S> current, Event<E> event) {
        Checks.notNull(current, "current");
        Checks.notNull(event, "event");
        if (event.version() <= current.lastVersion()) {
            return new Step<>(current, List.of(), true, null, null);
        }
        String prefix = prefix(event.aggregateId()) + event.version() + "/";   // see CommandOrigin
        try {
            Reaction<S, C> reaction = manager.react(current.state(), event);
            return step(new ProcessState<>(event.version(), current.resultsSeen(), stateOf(reaction, "react")),
                    reaction, prefix, event.correlationId(), event.metadata());
        } catch (Exception | StackOverflowError failure) {
            return failed(new ProcessState<>(event.version(), current.resultsSeen(), current.state()), failure);
        }
    }

    /**
     * Handles the result of a command this manager sent for a source aggregate.
     *
     * @param current the manager's position for the source aggregate
     * @param sourceAggregateId the source aggregate whose event (or result) made the manager send it
     * @param sent the command as it was sent
     * @param result its result
     * @return the next position and the commands to send
     */
    public Step<S, C> onResult(ProcessState<S> current, String sourceAggregateId, Command<C> sent, CommandResult<?, ?> result) {
        Checks.notNull(current, "current");
        Checks.notBlank(sourceAggregateId, "sourceAggregateId");
        Checks.notNull(sent, "sent");
        Checks.notNull(result, "result");
        long seen = current.resultsSeen() + 1;
        String prefix = prefix(sourceAggregateId) + CommandOrigin.RESULT + seen + "/";
        try {
            Reaction<S, C> reaction = manager.onResult(current.state(), sent, result);
            return step(new ProcessState<>(current.lastVersion(), seen, stateOf(reaction, "onResult")),
                    reaction, prefix, sent.correlation(), sent.metadata());
        } catch (Exception | StackOverflowError failure) {
            return failed(new ProcessState<>(current.lastVersion(), seen, current.state()), failure);
        }
    }

    private String prefix(String sourceAggregateId) {
        return name + "/" + sourceType + "/" + sourceAggregateId + "/";
    }

    private S stateOf(Reaction<S, C> reaction, String function) {
        if (reaction == null) {
            throw new NullPointerException(managerName() + "." + function + " returned null");
        }
        return reaction.state();
    }

    private Step<S, C> step(ProcessState<S> next, Reaction<S, C> reaction, String idPrefix, String correlationId,
                            java.util.Map<String, String> metadata) {
        List<Command<C>> commands = new ArrayList<>(reaction.commands().size());
        for (int i = 0; i < reaction.commands().size(); i++) {
            Reaction.Send<C> send = reaction.commands().get(i);
            commands.add(new Command<>(idPrefix + i, send.aggregateId(), send.expectedVersion(), send.payload(), metadata,
                    correlationId));
        }
        return new Step<>(next, commands, false, null, null);
    }

    private Step<S, C> failed(ProcessState<S> next, Throwable failure) {
        return new Step<>(next, List.of(), false, failure.getClass().getName(),
                failure.getMessage() == null ? "" : ErrorText.bounded(failure.getMessage()));
    }

    private String managerName() {
        String simple = manager.getClass().getSimpleName();
        return simple.isEmpty() ? "ProcessManager" : simple;
    }

    @Override
    public String toString() {
        return "ProcessManagerEngine[" + name + " on " + sourceType + "]";
    }

    /**
     * What one input did: the manager's next position and the commands to send.
     *
     * @param state the next position, to store
     * @param commands the commands to send, with their ids; empty after a replay or a failure
     * @param replayed whether the input was an event handled before, passed over
     * @param errorType the class name of what the manager threw, or {@code null} when it did not fail
     * @param message the failure's message, or {@code null} when it did not fail
     * @param <S> the manager's state type
     * @param <C> the target command type
     */
    public record Step<S, C>(ProcessState<S> state, List<Command<C>> commands, boolean replayed, String errorType,
                             String message) {

        /**
         * Copies the commands.
         *
         * @param state the next position
         * @param commands the commands to send
         * @param replayed whether the input was handled before
         * @param errorType what the manager threw, or {@code null}
         * @param message the failure's message, or {@code null}
         */
        public Step {
            Checks.notNull(state, "state");
            commands = List.copyOf(Checks.notNull(commands, "commands"));
        }

        /**
         * Whether the manager threw (or returned {@code null}) for this input.
         *
         * @return {@code true} for a failure
         */
        public boolean failed() {
            return errorType != null;
        }
    }

    /**
     * What a command id of this engine's manager says of the input that made it: the one reader of
     * the id format the engine writes.
     *
     * <pre>{@code
     * engine.originOf("invoice-accounts/invoice/INV-7/3/0");          // Optional[CommandOrigin[INV-7, 3, 0]]
     * engine.originOf("invoice-accounts/invoice/INV-7/result-2/0");   // Optional[CommandOrigin[INV-7, -1, 0]]
     * engine.originOf("c-42");                                         // Optional.empty
     * }</pre>
     *
     * @param commandId a command id
     * @return the source aggregate, event version and index; empty when this manager makes no such id
     */
    public java.util.Optional<CommandOrigin> originOf(String commandId) {
        Checks.notNull(commandId, "commandId");
        String idPrefix = name + "/" + sourceType + "/";
        if (!commandId.startsWith(idPrefix)) {
            return java.util.Optional.empty();
        }
        int last = commandId.lastIndexOf('/');
        int before = last <= idPrefix.length() ? -1 : commandId.lastIndexOf('/', last - 1);
        if (before <= idPrefix.length() || !CommandOrigin.digits(commandId.substring(last + 1))) {
            return java.util.Optional.empty();
        }
        String cause = commandId.substring(before + 1, last);
        String aggregateId = commandId.substring(idPrefix.length(), before);
        try {
            int index = Integer.parseInt(commandId.substring(last + 1));
            if (cause.startsWith(CommandOrigin.RESULT) && CommandOrigin.digits(cause.substring(CommandOrigin.RESULT.length()))) {
                return java.util.Optional.of(new CommandOrigin(aggregateId, -1, index));
            }
            return CommandOrigin.digits(cause)
                    ? java.util.Optional.of(new CommandOrigin(aggregateId, Long.parseLong(cause), index)) : java.util.Optional.empty();
        } catch (NumberFormatException tooLarge) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The input a manager's command id names.
     *
     * @param sourceAggregateId the source aggregate
     * @param eventVersion the version of the event it reacted to, or -1 for a reaction to a result
     * @param index its place among the commands of that reaction
     */
    public record CommandOrigin(String sourceAggregateId, long eventVersion, int index) {

        private static final String RESULT = "result-";

        /**
         * Whether it reacted to the result of a command rather than to an event.
         *
         * @return {@code true} for a reaction to a result
         */
        public boolean afterResult() {
            return eventVersion < 0;
        }

        private static boolean digits(String text) {
            return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
        }
    }
}
