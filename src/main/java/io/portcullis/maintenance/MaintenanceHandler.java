package io.portcullis.maintenance;

import io.portcullis.exchange.Answer;
import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RegistryError;
import io.portcullis.api.RegistryOperation;
import io.portcullis.api.Route;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Set;

/**
 * Lets writes through only while maintenance is off (or, for uploads started before it was turned on, during the
 * grace period), and counts the writes it lets through for {@code maintenance on --wait}. Writes are what changes
 * the registry's storage: manifest PUT and DELETE, upload start (and cross-repository mount), PATCH, PUT and DELETE
 * of an upload, blob DELETE. Pulls pass untouched. Sits after the access decision: a client without permission
 * learns nothing about maintenance.
 *
 * <p>The refusal is what the registry itself answers to writes in its read-only mode, 405 {@code UNSUPPORTED}
 * (with {@code Allow: GET, HEAD}), but with a message that says why and until when, and {@code Retry-After}.
 * Measured with the clients: docker (dockerd 20.10's registry client) and skopeo 1.9 print an error envelope's
 * message only for 4xx answers; a 503 {@code UNAVAILABLE} shows as a bare "received unexpected HTTP status: 503
 * Service Unavailable" (docker after retrying each layer five times). 429 {@code TOOMANYREQUESTS} is printed by
 * docker at once, but skopeo (containers/image) retries every bodiless 429 five times, sleeping Retry-After each
 * time: a push hung for four minutes before it failed. 405 {@code UNSUPPORTED} is retried by neither, so a push
 * fails at once with "unsupported: the registry is in maintenance (garbage collection), try again later".
 */
public final class MaintenanceHandler implements HttpHandler {
    public static final String MESSAGE = "the registry is in maintenance (garbage collection), try again later";
    static final String RETRY_AFTER_SECONDS = "60";
    /** As distribution's read-only mode: 405 Method Not Allowed. */
    public static final int STATUS = 405;
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final HttpString UPLOAD_UUID = HttpString.tryFromString("Docker-Upload-UUID");

    private final MaintenanceSwitch maintenance;
    private final HttpHandler next;

    public MaintenanceHandler(MaintenanceSwitch maintenance, HttpHandler next) {
        this.maintenance = maintenance;
        this.next = next;
    }

    /** Whether the operation changes the registry's storage. */
    public static boolean isWrite(RegistryOperation op) {
        return op.route().hasRepository() && WRITES.contains(op.method());
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!(ParsedRequest.of(exchange) instanceof RegistryOperation op) || !isWrite(op)) {
            next.handleRequest(exchange);
            return;
        }
        String upload = op.route() == Route.UPLOAD ? op.reference() : null;
        if (!maintenance.admit(upload)) {
            refuse(exchange);
            return;
        }
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            try {
                // the upload's state first: between its PATCH and its PUT it must still count as alive
                follow(op, ex);
                maintenance.done();
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    /** Keeps the uploads this gate started, so the grace period knows which ones came before the switch. */
    private void follow(RegistryOperation op, HttpServerExchange exchange) {
        int status = exchange.getStatusCode();
        if (op.route() == Route.UPLOAD_START && status == 202) {
            String id = exchange.getResponseHeaders().getFirst(UPLOAD_UUID);
            if (id != null) {
                maintenance.uploadStarted(id);
            }
        } else if (op.route() == Route.UPLOAD && (op.method().equals("DELETE") || (op.method().equals("PUT") && status == 201))) {
            maintenance.uploadFinished(op.reference());
        } else if (op.route() == Route.UPLOAD) {
            // a PATCH of a large layer can take minutes: the upload is alive from its end, not its start
            maintenance.uploadTouched(op.reference());
        }
    }

    /** The answer to a write while maintenance is on; also the web catalog's, for its delete form. */
    public static void refuse(HttpServerExchange exchange) {
        if (!exchange.isRequestComplete()) {
            // a refused upload is not read: close the connection instead of draining the layer
            exchange.setPersistent(false);
        }
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        Answer.json(exchange, STATUS, RegistryError.UNSUPPORTED.body(MESSAGE));
    }
}
