package io.portcullis.proxy;

import io.portcullis.base.LogText;
import io.portcullis.exchange.Answer;
import io.portcullis.exchange.WhoAnswered;
import io.portcullis.api.RegistryError;
import io.undertow.server.ConduitWrapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.ConduitFactory;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Replaces the body of a registry 5xx by the registry's error envelope with a request id, and logs what the registry
 * said under that id. A registry 500 carries its internals (e.g. {@code "detail":{"Path":"/docker/registry/v2/
 * repositories/…","DriverName":"filesystem"}}, measured with docker-registry 2.8.2): storage layout and driver are
 * the operator's business, not the client's. The status and the registry's other headers stay; the upstream body is
 * read as it streams (never buffered beyond {@link #LOGGED_BYTES}, never waited for on an IO thread), see
 * {@link SwallowingSinkConduit}.
 */
final class RegistryFailureBody implements ConduitWrapper<StreamSinkConduit> {
    static final ConduitWrapper<StreamSinkConduit> WRAPPER = new RegistryFailureBody();
    /** How much of the registry's own body goes to the log: its error envelopes are a few hundred bytes. */
    static final int LOGGED_BYTES = 4096;
    static final HttpString REQUEST_ID = new HttpString("X-Request-Id");

    private static final Logger LOG = LoggerFactory.getLogger(RegistryFailureBody.class);

    private RegistryFailureBody() {
    }

    @Override
    public StreamSinkConduit wrap(ConduitFactory<StreamSinkConduit> factory, HttpServerExchange exchange) {
        int status = exchange.getStatusCode();
        if (status < 500 || WhoAnswered.upstreamStatus(exchange).isEmpty() || exchange.getRequestMethod().equals(Methods.HEAD)) {
            // the registry's own success and 4xx bodies pass as they are; the gate's own 5xx already has its body
            return factory.create();
        }
        // names one failure in the log, nothing more: not a secret, so a fast generator does
        String requestId = String.format("%016x", ThreadLocalRandom.current().nextLong());
        byte[] body = RegistryError.forStatus(status).bodyWithRequestId(requestId).getBytes(StandardCharsets.UTF_8);
        // before the factory runs: the framing below (fixed length or chunked) is chosen from these headers
        exchange.getResponseHeaders().remove(Headers.TRANSFER_ENCODING);
        exchange.getResponseHeaders().remove(Headers.CONTENT_ENCODING);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Answer.JSON);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseHeaders().put(REQUEST_ID, requestId);
        String method = exchange.getRequestMethod().toString();
        String path = exchange.getRequestPath();
        return new SwallowingSinkConduit(factory.create(), ByteBuffer.wrap(body), LOGGED_BYTES,
                said -> LOG.warn("the registry answered {} to {} {} (request id {}); sent the client a plain error instead of: {}",
                        status, method, LogText.printable(path), requestId,
                        LogText.printable(new String(said, StandardCharsets.UTF_8).strip().replace('"', '\''), LOGGED_BYTES)));
    }
}
