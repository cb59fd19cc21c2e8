package io.eventfold.testkit;

/**
 * A fixture was set up in a way that cannot run: a given command that is not accepted, a given
 * event the aggregate cannot apply, a redelivery before any command. This is a mistake in the
 * test, not a failed expectation, so it is never an {@link AssertionError}.
 *
 * <pre>{@code
 * fixture.givenCommands(new PayInvoice(amount));   // throws: the invoice does not exist yet
 * }</pre>
 */
public class FixtureConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception that says what is wrong with the fixture and how to fix it.
     *
     * @param message what is wrong
     */
    public FixtureConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates an exception with its cause.
     *
     * @param message what is wrong
     * @param cause the underlying error
     */
    public FixtureConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
