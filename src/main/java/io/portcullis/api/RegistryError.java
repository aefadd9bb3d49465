package io.portcullis.api;

import io.portcullis.base.Json;
import io.portcullis.exchange.Answer;
import io.undertow.server.HttpServerExchange;
import java.util.List;

/**
 * The registry's error envelope, {@code {"errors":[{"code","message","detail"}]}}, for every response the gate
 * makes itself: clients (docker, podman, skopeo) parse it and show {@code message} to the user.
 */
public enum RegistryError {
    /** The gate's generic 400 (first of the 400s, so {@link #forStatus} picks it). */
    UNSUPPORTED(400, "the operation is unsupported"),
    NAME_INVALID(400, "invalid repository name"),
    TAG_INVALID(400, "manifest tag did not match URI"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_INVALID(400, "manifest invalid"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    TOOMANYREQUESTS(429, "too many requests"),
    UNAVAILABLE(503, "service unavailable"),
    BAD_GATEWAY(502, "the registry behind the gate gave an invalid response"),
    GATEWAY_TIMEOUT(504, "the registry behind the gate did not answer in time"),
    UNKNOWN(500, "unknown error"),
    /** A path no registry endpoint has (the first 404, so {@link #forStatus} picks it): the registry's "404 page not found". */
    NO_ROUTE(404, "page not found"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    MANIFEST_UNKNOWN(404, "manifest unknown"),
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry");

    private final int status;
    private final String message;

    RegistryError(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    /** The registry itself only knows UNAVAILABLE/UNKNOWN for these, so that is the code clients see. */
    String code() {
        return switch (this) {
            case BAD_GATEWAY, GATEWAY_TIMEOUT -> "UNAVAILABLE";
            // the spec has no code for an unknown endpoint; UNSUPPORTED is what distribution says of what it does not do
            case NO_ROUTE -> "UNSUPPORTED";
            default -> name();
        };
    }

    public String body(List<Access> detail) {
        return body(message, detail);
    }

    /** The envelope of this code with the gate's own explanation (any text: it is escaped). */
    public String body(String text) {
        return body(text, List.of());
    }

    private String body(String text, List<Access> detail) {
        return "{\"errors\":[{\"code\":" + Json.quote(code()) + ",\"message\":" + Json.quote(text)
                + ",\"detail\":" + Access.toJson(detail) + "}]}";
    }

    /** The envelope of this code with its standard message and, as detail, the request id the gate's log names. */
    public String bodyWithRequestId(String requestId) {
        return "{\"errors\":[{\"code\":" + Json.quote(code()) + ",\"message\":" + Json.quote(message + " (request id " + requestId
                + "; the gate's log has the registry's details)") + ",\"detail\":{\"request_id\":" + Json.quote(requestId) + "}}]}";
    }

    /** Maps a status the gate chose (e.g. Undertow's proxy 503/504) to the envelope it should carry. */
    public static RegistryError forStatus(int status) {
        for (RegistryError e : values()) {
            if (e.status == status) {
                return e;
            }
        }
        return UNKNOWN;
    }

    /** Sends this error with the given detail and ends the exchange. */
    public void send(HttpServerExchange exchange, List<Access> detail) {
        exchange.setStatusCode(status);
        writeBody(exchange, detail);
    }

    /** Sends this error with the gate's own explanation instead of the standard message. */
    public void send(HttpServerExchange exchange, String explanation) {
        exchange.setStatusCode(status);
        writeBody(exchange, body(explanation, List.of()));
    }

    /** Gives a status the gate already set its envelope, keeping the status (a 404 stays a 404). */
    public static void sendForStatus(HttpServerExchange exchange) {
        forStatus(exchange.getStatusCode()).writeBody(exchange, List.of());
    }

    void writeBody(HttpServerExchange exchange, List<Access> detail) {
        writeBody(exchange, body(detail));
    }

    private static void writeBody(HttpServerExchange exchange, String json) {
        Answer.json(exchange, exchange.getStatusCode(), json);
    }
}
