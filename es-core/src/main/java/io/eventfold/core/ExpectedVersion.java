package io.eventfold.core;

/**
 * The version a command expects its aggregate to be at: Eventfold's optimistic concurrency.
 *
 * <p>The version of an aggregate is the number of events it has; a new aggregate is at version
 * 0. When the actual version differs from the expected one, the command is not decided at all and
 * its result is a {@link CommandResult.Conflict}.
 *
 * <pre>{@code
 * Command.of("INV-7", new PayInvoice(amount)).withExpectedVersion(ExpectedVersion.exactly(3));
 * }</pre>
 */
public sealed interface ExpectedVersion
        permits ExpectedVersion.Any, ExpectedVersion.NoStream, ExpectedVersion.Exactly {

    /**
     * Expects nothing: the command is decided at whatever version the aggregate has.
     *
     * @return the expectation that always matches
     */
    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    /**
     * Expects the aggregate not to exist yet, that is to be at version 0.
     *
     * @return the expectation that matches only version 0
     */
    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    /**
     * Expects the aggregate to be at exactly this version.
     *
     * @param version the expected version, {@code >= 0}
     * @return the expectation that matches only {@code version}
     * @throws IllegalArgumentException if {@code version} is negative
     */
    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }

    /**
     * Tells whether an aggregate at the given version satisfies this expectation.
     *
     * @param actualVersion the aggregate's current version
     * @return {@code true} when a command with this expectation may be decided
     */
    boolean matches(long actualVersion);

    /** Any version is fine. Obtain it with {@link ExpectedVersion#any()}. */
    record Any() implements ExpectedVersion {
        private static final Any INSTANCE = new Any();

        @Override
        public boolean matches(long actualVersion) {
            return true;
        }

        @Override
        public String toString() {
            return "any";
        }
    }

    /** The aggregate must not exist yet. Obtain it with {@link ExpectedVersion#noStream()}. */
    record NoStream() implements ExpectedVersion {
        private static final NoStream INSTANCE = new NoStream();

        @Override
        public boolean matches(long actualVersion) {
            return actualVersion == 0;
        }

        @Override
        public String toString() {
            return "noStream";
        }
    }

    /**
     * The aggregate must be at exactly this version. Obtain it with {@link ExpectedVersion#exactly(long)}.
     *
     * @param version the expected version, {@code >= 0}
     */
    record Exactly(long version) implements ExpectedVersion {

        /**
         * Validates the version.
         *
         * @param version the expected version, {@code >= 0}
         * @throws IllegalArgumentException if {@code version} is negative
         */
        public Exactly {
            Checks.atLeast(version, 0, "version");
        }

        @Override
        public boolean matches(long actualVersion) {
            return actualVersion == version;
        }

        @Override
        public String toString() {
            return "exactly(" + version + ")";
        }
    }
}
