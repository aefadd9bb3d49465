package io.portcullis.audit;

import io.portcullis.base.HostText;
import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.token.AuthenticatedToken;
import io.portcullis.token.Token;
import io.portcullis.exchange.DeletedByGate;
import io.portcullis.auth.Credentials;
import io.portcullis.exchange.WhoAnswered;
import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RegistryOperation;
import io.portcullis.api.Route;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a finished exchange into the audit event it stands for, if any, from the parse, the user and the answer:
 * only what the registry answered with success is a push, mount, delete or pull; only what the gate answered itself
 * is a login failure (401/429 to given credentials) or an access denial (403). Runs on the IO thread: no blocking.
 */
final class EventMaker {
    static final String ANONYMOUS = "anonymous";
    /** A user name as given at a failed login is recorded at most this long (it is attacker-chosen text). */
    static final int MAX_GIVEN_USER = 64;
    private static final HttpString DOCKER_CONTENT_DIGEST = new HttpString("Docker-Content-Digest");

    private final Set<String> actions;
    private final UploadSizes uploads;
    private final String instanceId = UUID.randomUUID().toString();

    EventMaker(Set<String> actions) {
        this.actions = Set.copyOf(actions);
        this.uploads = new UploadSizes();
    }

    Optional<AuditEvent> eventFor(HttpServerExchange ex) {
        int status = ex.getStatusCode();
        if (WhoAnswered.upstreamStatus(ex).isEmpty()) {
            return gateAnswered(ex, status);
        }
        if (!(ParsedRequest.of(ex) instanceof RegistryOperation op)) {
            return Optional.empty();
        }
        String method = op.method();
        Route route = op.route();
        if (route == Route.UPLOAD && method.equals("PATCH") && status == 202) {
            uploads.chunkAccepted(op.reference(), ex.getResponseHeaders().getFirst(Headers.RANGE));
            return Optional.empty();
        }
        String digest = ex.getResponseHeaders().getFirst(DOCKER_CONTENT_DIGEST);
        if (route == Route.MANIFEST) {
            String tag = op.reference().contains(":") ? null : op.reference();
            if (method.equals("PUT") && status == 201) {
                return make(ex, "push", new AuditEvent.Target(ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE),
                        contentLength(ex.getRequestHeaders()), digest, op.name(), null, url(ex, op, "manifests", digest), tag));
            }
            if (method.equals("GET") && status == 200) {
                return make(ex, "pull", new AuditEvent.Target(ex.getResponseHeaders().getFirst(Headers.CONTENT_TYPE),
                        contentLength(ex.getResponseHeaders()), digest, op.name(), null, url(ex, op, "manifests", digest), tag));
            }
            if (method.equals("DELETE") && status == 202) {
                return deleted(ex, op, tag == null ? op.reference() : null, tag);
            }
        }
        if (route == Route.BLOB && method.equals("DELETE") && status == 202) {
            return deleted(ex, op, op.reference(), null);
        }
        if (route == Route.UPLOAD && method.equals("PUT") && status == 201) {
            long size = uploads.completed(op.reference(), contentLength(ex.getRequestHeaders()));
            return blobPushed(ex, op, digest == null ? op.parameter("digest").orElse(null) : digest, size);
        }
        if (route == Route.UPLOAD_START && method.equals("POST") && status == 201) {
            Optional<String> mount = op.parameter("mount");
            if (mount.isPresent()) {
                return make(ex, "mount", new AuditEvent.Target(null, -1, mount.get(), op.name(),
                        op.parameter("from").orElse(null), url(ex, op, "blobs", mount.get()), null));
            }
            // a monolithic upload: the whole blob in the POST
            return blobPushed(ex, op, digest == null ? op.parameter("digest").orElse(null) : digest,
                    contentLength(ex.getRequestHeaders()));
        }
        return Optional.empty();
    }

    private Optional<AuditEvent> gateAnswered(HttpServerExchange ex, int status) {
        Optional<DeletedByGate> deleted = DeletedByGate.of(ex);
        if (deleted.isPresent()) { // the web catalog deleted a manifest by digest for the signed-in user
            return make(ex, "delete", new AuditEvent.Target(null, -1, deleted.get().digest(), deleted.get().repository(),
                    null, null, null));
        }
        if (status == 403 && AuthenticatedUser.of(ex).isPresent() && ParsedRequest.of(ex) instanceof RegistryOperation op) {
            String ref = op.route() == Route.MANIFEST || op.route() == Route.BLOB ? op.reference() : null;
            boolean digestRef = ref != null && ref.contains(":");
            return make(ex, "access.denied", new AuditEvent.Target(null, -1, digestRef ? ref : null, op.name(), null, null,
                    digestRef ? null : ref));
        }
        if ((status == 401 || status == 429) && actions.contains("login.failure")) {
            // the gate refused credentials it was given (wrong password, unknown user, or throttled)
            Optional<String> given = Credentials.from(ex.getRequestHeaders()).map(Credentials::user).filter(u -> !u.isEmpty());
            if (given.isPresent()) {
                ParsedRequest parsed = ParsedRequest.of(ex);
                String repository = parsed instanceof RegistryOperation op ? op.name() : null;
                return Optional.of(event(ex, "login.failure", new AuditEvent.Target(null, -1, null, repository, null, null, null),
                        cap(given.get())));
            }
        }
        return Optional.empty();
    }

    private Optional<AuditEvent> deleted(HttpServerExchange ex, RegistryOperation op, String digest, String tag) {
        return make(ex, "delete", new AuditEvent.Target(null, -1, digest, op.name(), null, null, tag));
    }

    private Optional<AuditEvent> blobPushed(HttpServerExchange ex, RegistryOperation op, String digest, long size) {
        if (digest == null) {
            return Optional.empty();
        }
        return make(ex, "push", new AuditEvent.Target("application/octet-stream", size, digest, op.name(), null,
                url(ex, op, "blobs", digest), null));
    }

    private Optional<AuditEvent> make(HttpServerExchange ex, String action, AuditEvent.Target target) {
        if (!actions.contains(action)) {
            return Optional.empty();
        }
        return Optional.of(event(ex, action, target, AuthenticatedUser.of(ex).orElse(ANONYMOUS)));
    }

    private AuditEvent event(HttpServerExchange ex, String action, AuditEvent.Target target, String actor) {
        HeaderMap headers = ex.getRequestHeaders();
        AuditEvent.Request request = new AuditEvent.Request(UUID.randomUUID().toString(), address(ex.getSourceAddress()),
                ex.getHostAndPort(), ex.getRequestMethod().toString(), headers.getFirst(Headers.USER_AGENT));
        return new AuditEvent(UUID.randomUUID().toString(), Instant.now(), action, target, request, actor,
                new AuditEvent.Source(address(ex.getDestinationAddress()), instanceId),
                AuthenticatedToken.of(ex).map(t -> new AuditEvent.TokenRef(t.id(), t.label())));
    }

    /**
     * A token created, rotated or revoked ({@code token.create}, {@code token.rotate}, {@code token.revoke}): always
     * recorded when there is a trail, since a credential appearing or ending is what an audit is for.
     *
     * @param actor who did it: the signed-in user on the Tokens page, {@code portcullis token} for the CLI
     */
    AuditEvent tokenEvent(String action, Token token, String actor) {
        return new AuditEvent(UUID.randomUUID().toString(), Instant.now(), action,
                new AuditEvent.Target(null, -1, null, null, null, null, null),
                new AuditEvent.Request("", null, null, null, ""), actor, new AuditEvent.Source(null, instanceId),
                Optional.of(new AuditEvent.TokenRef(token.id(), token.label())));
    }

    /** Where the registry says the object is, as the client sees the gate. */
    private static String url(HttpServerExchange ex, RegistryOperation op, String kind, String digest) {
        return digest == null ? null : "https://" + ex.getHostAndPort() + "/v2/" + op.name() + "/" + kind + "/" + digest;
    }

    private static long contentLength(HeaderMap headers) {
        String value = headers.getFirst(Headers.CONTENT_LENGTH);
        try {
            return value == null ? -1 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String address(InetSocketAddress a) {
        if (a == null || a.getAddress() == null) {
            return null;
        }
        return HostText.withPort(a.getAddress().getHostAddress(), a.getPort());
    }

    static String cap(String user) {
        StringBuilder out = new StringBuilder();
        user.codePoints().limit(MAX_GIVEN_USER).filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
        return out.toString();
    }
}
