package io.eventfold.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link ProcessManager} does about one input: its new state and the commands it sends.
 *
 * <pre>{@code
 * return Reaction.of(state.withCharged(invoiceId))
 *     .send(customerId, new Charge(invoiceId, total));
 * }</pre>
 *
 * @param state the manager's new state for the source aggregate; not {@code null}
 * @param commands the commands to send, in order; unmodifiable
 * @param <S> the manager's state type
 * @param <C> the target command type
 */
public record Reaction<S, C>(S state, List<Reaction.Send<C>> commands) {

    /**
     * Validates the components and copies the commands.
     *
     * @param state the manager's new state; not {@code null}
     * @param commands the commands to send
     * @throws NullPointerException if a component or command is {@code null}
     */
    public Reaction {
        Checks.notNull(state, "state");
        Checks.notNull(commands, "commands");
        for (int i = 0; i < commands.size(); i++) {
            Checks.notNull(commands.get(i), "commands[" + i + "]");
        }
        commands = List.copyOf(commands);
    }

    /**
     * A reaction that sends nothing (yet).
     *
     * @param state the manager's new state
     * @param <S> the state type
     * @param <C> the target command type
     * @return a reaction without commands
     */
    public static <S, C> Reaction<S, C> of(S state) {
        return new Reaction<>(state, List.of());
    }

    /**
     * Also sends {@code payload} to the target aggregate {@code aggregateId}, expecting any version.
     *
     * @param aggregateId the target aggregate
     * @param payload the command
     * @return a copy of this reaction with the command added
     */
    public Reaction<S, C> send(String aggregateId, C payload) {
        return send(aggregateId, payload, ExpectedVersion.any());
    }

    /**
     * Also sends {@code payload} to the target aggregate {@code aggregateId}.
     *
     * @param aggregateId the target aggregate
     * @param payload the command
     * @param expectedVersion the version the target must be at
     * @return a copy of this reaction with the command added
     */
    public Reaction<S, C> send(String aggregateId, C payload, ExpectedVersion expectedVersion) {
        List<Send<C>> more = new ArrayList<>(commands);
        more.add(new Send<>(aggregateId, payload, expectedVersion));
        return new Reaction<>(state, more);
    }

    /**
     * One command a reaction sends; the engine gives it its ids.
     *
     * @param aggregateId the target aggregate; not blank
     * @param payload the command; not {@code null}
     * @param expectedVersion the version the target must be at; not {@code null}
     * @param <C> the target command type
     */
    public record Send<C>(String aggregateId, C payload, ExpectedVersion expectedVersion) {

        /**
         * Validates the components.
         *
         * @param aggregateId the target aggregate; not blank
         * @param payload the command; not {@code null}
         * @param expectedVersion the version the target must be at; not {@code null}
         * @throws NullPointerException if a component is {@code null}
         * @throws IllegalArgumentException if {@code aggregateId} is blank
         */
        public Send {
            Checks.notBlank(aggregateId, "aggregateId");
            Checks.notNull(payload, "payload");
            Checks.notNull(expectedVersion, "expectedVersion");
        }
    }
}
