package io.eventfold.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link ProcessManager} does about one input: its new state and the commands it sends.
 *
 * <pre>{@code
 * return Reaction.of(billing.asCharged(), Send.to(billing.accountId(), new ChargeAccount(invoiceId, currency, total)));
 * return Reaction.of(billing);                         // nothing to send
 *
 * Reaction<InvoiceBilling, AccountCommand> reaction = Reaction.of(billing);
 * for (String account : accounts) {
 *     reaction = reaction.send(account, new Notify(invoiceId));   // commands computed in a loop
 * }
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
     * A reaction with its new state and the commands to send; the command type comes from the
     * method's return type, so no type witness is needed.
     *
     * @param state the manager's new state
     * @param commands the commands to send, in order
     * @param <S> the state type
     * @param <C> the target command type
     * @return the reaction
     * @throws NullPointerException if the state, the array or a command is {@code null}
     */
    @SafeVarargs
    public static <S, C> Reaction<S, C> of(S state, Send<? extends C>... commands) {
        Checks.notNull(commands, "commands");
        List<Send<C>> sends = new ArrayList<>(commands.length);
        for (int i = 0; i < commands.length; i++) {
            Send<? extends C> send = Checks.notNull(commands[i], "commands[" + i + "]");
            sends.add(new Send<>(send.aggregateId(), send.payload(), send.expectedVersion()));
        }
        return new Reaction<>(state, sends);
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

        /**
         * A command to the target aggregate {@code aggregateId}, expecting any version.
         *
         * <pre>{@code
         * Reaction.of(billing, Send.to(accountId, new CreditAccount(invoiceId, currency, amount)));
         * }</pre>
         *
         * @param aggregateId the target aggregate; not blank
         * @param payload the command; not {@code null}
         * @param <C> the command type
         * @return the command to send
         */
        public static <C> Send<C> to(String aggregateId, C payload) {
            return new Send<>(aggregateId, payload, ExpectedVersion.any());
        }

        /**
         * A command to the target aggregate {@code aggregateId}, which must be at {@code expectedVersion}.
         *
         * @param aggregateId the target aggregate; not blank
         * @param payload the command; not {@code null}
         * @param expectedVersion the version the target must be at
         * @param <C> the command type
         * @return the command to send
         */
        public static <C> Send<C> to(String aggregateId, C payload, ExpectedVersion expectedVersion) {
            return new Send<>(aggregateId, payload, expectedVersion);
        }
    }
}
