package io.eventfold.core;

/**
 * Why a business rule refused a command.
 *
 * <pre>{@code
 * Decision.reject("INVOICE_ALREADY_PAID", "invoice INV-7 was paid on 2026-03-01");
 * }</pre>
 *
 * @param code a stable, machine-readable reason such as {@code INVOICE_ALREADY_PAID}; clients
 *     branch on it, so it never changes once published; not blank
 * @param message a human-readable explanation for logs and user interfaces; not {@code null},
 *     may be empty
 */
public record Rejection(String code, String message) {

    /**
     * Validates the components.
     *
     * @param code a stable, machine-readable reason such as {@code INVOICE_ALREADY_PAID}; clients
     *     branch on it, so it never changes once published; not blank
     * @param message a human-readable explanation for logs and user interfaces; not {@code null},
     *     may be empty
     * @throws NullPointerException if {@code code} or {@code message} is {@code null}
     * @throws IllegalArgumentException if {@code code} is blank
     */
    public Rejection {
        Checks.notBlank(code, "code");
        Checks.notNull(message, "message");
    }
}
