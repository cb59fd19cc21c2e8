package io.eventfold.testkit;

import io.eventfold.core.Event;
import org.assertj.core.api.AbstractAssert;

import java.util.Objects;

/**
 * AssertJ assertions on one {@link Event}. Obtain one with {@link EventfoldAssertions#assertThat(Event)}.
 *
 * <pre>{@code
 * assertThat(event).hasVersion(3).hasCommandId(commandId).hasPayload(new InvoiceSent());
 * }</pre>
 *
 * @param <E> the event type
 */
public class EventAssert<E> extends AbstractAssert<EventAssert<E>, Event<E>> {

    /**
     * Creates an assertion on an event; prefer {@link EventfoldAssertions#assertThat(Event)}.
     *
     * @param actual the event under test
     */
    public EventAssert(Event<E> actual) {
        super(actual, EventAssert.class);
    }

    /**
     * Verifies the event's version.
     *
     * @param version the expected version
     * @return this assertion
     */
    public EventAssert<E> hasVersion(long version) {
        isNotNull();
        if (actual.version() != version) {
            failWithActualExpectedAndMessage(actual.version(), version,
                    "%nExpecting version of event %s of aggregate %s:%n  %s%nto be:%n  %s",
                    actual.payload(), actual.aggregateId(), actual.version(), version);
        }
        return this;
    }

    /**
     * Verifies the event's payload.
     *
     * @param payload the expected payload
     * @return this assertion
     */
    public EventAssert<E> hasPayload(E payload) {
        isNotNull();
        if (!Objects.equals(actual.payload(), payload)) {
            failWithActualExpectedAndMessage(actual.payload(), payload,
                    "%nExpecting payload of event version %s of aggregate %s:%n  %s%nto be:%n  %s",
                    actual.version(), actual.aggregateId(), actual.payload(), payload);
        }
        return this;
    }

    /**
     * Verifies the command that produced the event.
     *
     * @param commandId the expected command id
     * @return this assertion
     */
    public EventAssert<E> hasCommandId(String commandId) {
        isNotNull();
        if (!actual.commandId().equals(commandId)) {
            failWithActualExpectedAndMessage(actual.commandId(), commandId,
                    "%nExpecting command id of event version %s of aggregate %s:%n  %s%nto be:%n  %s",
                    actual.version(), actual.aggregateId(), actual.commandId(), commandId);
        }
        return this;
    }

    /**
     * Verifies the aggregate the event belongs to.
     *
     * @param aggregateId the expected aggregate id
     * @return this assertion
     */
    public EventAssert<E> hasAggregateId(String aggregateId) {
        isNotNull();
        if (!actual.aggregateId().equals(aggregateId)) {
            failWithActualExpectedAndMessage(actual.aggregateId(), aggregateId,
                    "%nExpecting aggregate id of event %s:%n  %s%nto be:%n  %s", actual.payload(), actual.aggregateId(), aggregateId);
        }
        return this;
    }
}
