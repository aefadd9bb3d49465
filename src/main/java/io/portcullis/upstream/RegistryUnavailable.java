package io.portcullis.upstream;

/** The registry did not give what a page needs; {@code status} is what the page answers with, the message says why. */
public final class RegistryUnavailable extends RuntimeException {
    private final int status;

    public RegistryUnavailable(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
