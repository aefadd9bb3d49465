package io.portcullis.frontdoor;

import io.portcullis.exchange.Answer;
import io.portcullis.api.RegistryError;
import io.undertow.server.HttpServerExchange;

/**
 * The gate's answer to a request it will not handle: the registry's JSON error envelope with code
 * {@code UNSUPPORTED} (what distribution uses for operations it does not do), so clients print the reason, and the
 * connection closed afterwards without reading the request body.
 */
final class Refusal {
    private Refusal() {
    }

    static void send(HttpServerExchange exchange, int status, String message) {
        // the body of a refused request is never read: draining it could take gigabytes, and its framing may be the
        // very thing that is wrong
        exchange.setPersistent(false);
        Answer.json(exchange, status, RegistryError.UNSUPPORTED.body(message));
    }
}
