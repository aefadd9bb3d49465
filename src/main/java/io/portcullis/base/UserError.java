package io.portcullis.base;

/**
 * A mistake the operator can fix (a missing file, a bad value, a port in use). The message is the whole
 * story: one line that says what is wrong and what to do, printed without a stack trace.
 * Messages must never contain secrets (passwords, hashes, key material).
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message, null, false, false);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
