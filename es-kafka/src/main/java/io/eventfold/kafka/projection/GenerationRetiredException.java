package io.eventfold.kafka.projection;

/**
 * A batch was about to be written into a generation that is no longer {@link Generation.State#LIVE}
 * or {@link Generation.State#BUILDING}: a switch-over retired it (or a newer request superseded
 * the build) while this runner still read for it. The transaction rolls back, so nothing reaches
 * a retired generation's tables after the switch, and the runner moves to the new generation.
 *
 * <pre>{@code
 * store.claim(connection, generation, expected, instance);   // throws once generation 1 was retired
 * }</pre>
 */
public final class GenerationRetiredException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The generation found retired. */
    private final int generation;

    /**
     * Creates the exception.
     *
     * @param projection the projection's name
     * @param generation the generation's number
     * @param state the state the store found it in
     */
    public GenerationRetiredException(String projection, int generation, String state) {
        super("projection " + projection + ": generation " + generation + " is " + state
                + ", no longer live or building; this batch is rolled back and the runner follows the new generation");
        this.generation = generation;
    }

    /**
     * The generation found retired.
     *
     * @return its number
     */
    public int generation() {
        return generation;
    }
}
