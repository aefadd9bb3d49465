package io.portcullis.api;

/** Thrown inside the parser when a request cannot be represented canonically; carries the answer to give. */
final class NotCanonical extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient RefusedRequest refusal;

    NotCanonical(RegistryError error, String reason) {
        // no stack trace: this is an answer to a client, not a fault of the gate
        super(reason, null, false, false);
        this.refusal = new RefusedRequest(error, reason);
    }

    RefusedRequest refusal() {
        return refusal;
    }
}
