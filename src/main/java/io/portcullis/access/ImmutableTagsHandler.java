package io.portcullis.access;

import io.portcullis.base.LogText;
import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.exchange.BufferedBody;
import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RegistryError;
import io.portcullis.api.RegistryOperation;
import io.portcullis.api.Route;
import io.portcullis.upstream.RegistryTags;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.ImmediatePooledByteBuffer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the {@code immutable} rules on the API: a manifest PUT to a protected tag and a manifest DELETE in a
 * repository with protected tags are checked against what the registry holds before they are forwarded.
 *
 * <p>A checked PUT's body is read first, on the IO thread without blocking, bounded at the registry's own limit
 * for manifests (4 MiB: distribution's {@code maxManifestBodySize}; above it the registry itself answers 400
 * {@code MANIFEST_INVALID}); its digest is compared with where the tag points on a worker thread; and exactly
 * the bytes that were hashed are forwarded, with their length (never the client's framing). Unchecked requests,
 * layers above all, stream through untouched.
 */
public final class ImmutableTagsHandler implements HttpHandler {
    static final int MAX_MANIFEST = 4 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ImmutableTagsHandler.class);

    private final ImmutableTags immutable;
    private final HttpHandler next;

    public ImmutableTagsHandler(ImmutableTags immutable, HttpHandler next) {
        this.immutable = immutable;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!(ParsedRequest.of(exchange) instanceof RegistryOperation op)) {
            next.handleRequest(exchange);
            return;
        }
        if (op.route() == Route.BLOB && op.method().equals("DELETE")) {
            Optional<String> refusal = immutable.refuseBlobDelete(op.name());
            if (refusal.isPresent()) {
                deny(exchange, refusal.get());
            } else {
                next.handleRequest(exchange);
            }
            return;
        }
        if (op.route() != Route.MANIFEST) {
            next.handleRequest(exchange);
            return;
        }
        if (op.method().equals("PUT") && immutable.protects(op.name(), op.reference())) {
            long declared = exchange.getRequestContentLength();
            if (declared > MAX_MANIFEST) {
                tooLarge(exchange);
                return;
            }
            exchange.getRequestReceiver().setMaxBufferSize(MAX_MANIFEST);
            exchange.getRequestReceiver().receiveFullBytes(
                    (ex, body) -> ex.dispatch((HttpHandler) worker -> checkPush(worker, op, body)),
                    (ex, e) -> {
                        if (e instanceof RequestTooBigException) {
                            tooLarge(ex);
                        } else {
                            ex.setPersistent(false);
                            ex.endExchange();
                        }
                    });
        } else if (op.method().equals("DELETE") && immutable.guards(op.name())) {
            exchange.dispatch((HttpHandler) worker -> checkDelete(worker, op));
        } else {
            next.handleRequest(exchange);
        }
    }

    private void checkPush(HttpServerExchange exchange, RegistryOperation op, byte[] body) throws Exception {
        if (!allowed(exchange, op, () -> immutable.refusePush(op.name(), op.reference(), sha256(body)))) {
            return;
        }
        // what the registry reads is what was hashed: the buffered bytes, framed by their length
        Connectors.ungetRequestBytes(exchange, new ImmediatePooledByteBuffer(ByteBuffer.wrap(body)));
        Connectors.resetRequestChannel(exchange);
        BufferedBody.mark(exchange);
        exchange.getRequestHeaders().remove(Headers.TRANSFER_ENCODING);
        exchange.getRequestHeaders().remove(Headers.EXPECT); // the body is here: nothing to wait for upstream
        exchange.getRequestHeaders().put(Headers.CONTENT_LENGTH, body.length);
        next.handleRequest(exchange);
    }

    private void checkDelete(HttpServerExchange exchange, RegistryOperation op) throws Exception {
        if (allowed(exchange, op, () -> immutable.refuseDelete(op.name(), op.reference()))) {
            next.handleRequest(exchange);
        }
    }

    /** A check that says why the request is refused, or nothing. */
    @FunctionalInterface
    private interface Check {
        Optional<String> refusal() throws RegistryTags.Unavailable;
    }

    /** Runs the check; a refusal (or a registry that cannot say) is answered here. */
    private static boolean allowed(HttpServerExchange exchange, RegistryOperation op, Check check) {
        Optional<String> refusal;
        try {
            refusal = check.refusal();
        } catch (RegistryTags.Unavailable e) {
            // fail closed: a tag whose place cannot be checked is not moved
            LOG.warn("immutable tags of {} not checked: {}", op.name(), e.getMessage());
            RegistryError.UNAVAILABLE.send(exchange, "cannot check the immutable tags of " + op.name() + ": " + e.getMessage());
            return false;
        }
        refusal.ifPresent(why -> deny(exchange, why));
        return refusal.isEmpty();
    }

    private static void deny(HttpServerExchange exchange, String why) {
        LOG.info("refused for user '{}': {} {}: {}", LogText.printable(AuthenticatedUser.of(exchange).orElse("anonymous")),
                exchange.getRequestMethod(), LogText.printable(exchange.getRequestPath()), why);
        RegistryError.DENIED.send(exchange, why);
    }

    private static void tooLarge(HttpServerExchange exchange) {
        exchange.setPersistent(false);
        RegistryError.MANIFEST_INVALID.send(exchange, "manifest invalid: larger than the registry's limit of 4 MiB");
    }

    static String sha256(byte[] body) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
