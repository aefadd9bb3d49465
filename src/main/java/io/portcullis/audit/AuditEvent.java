package io.portcullis.audit;

import io.portcullis.base.Json;
import java.time.Instant;
import java.util.Optional;

/**
 * One audit event, in the shape of distribution's notification {@code Event} ({@code notifications/event.go}), so a
 * receiver written for the registry's own notifications reads it unchanged. Empty fields are left out, as Go's
 * {@code omitempty} does.
 *
 * @param target  what was acted on
 * @param request the request that did it
 * @param actor   the authenticated user (a token's owner), {@code anonymous}, or (login.failure) the user name as given
 * @param token   the token the actor used or (token.create, token.rotate, token.revoke) acted on, beside actor.name
 */
public record AuditEvent(String id, Instant timestamp, String action, Target target, Request request, String actor,
                         Source source, Optional<TokenRef> token) {

    public AuditEvent(String id, Instant timestamp, String action, Target target, Request request, String actor, Source source) {
        this(id, timestamp, action, target, request, actor, source, Optional.empty());
    }

    /** A token by id and label: never its secret. */
    public record TokenRef(String id, String label) {
    }

    /** {@code target}: the descriptor (mediaType, size, digest) plus where it lives. Null or negative means absent. */
    public record Target(String mediaType, long size, String digest, String repository, String fromRepository,
                         String url, String tag) {
    }

    /** {@code request}: id, client address (ip:port), Host, method, User-Agent. */
    public record Request(String id, String addr, String host, String method, String userAgent) {
    }

    /** {@code source}: this gate's listening address and the id of this gate process. */
    public record Source(String addr, String instanceId) {
    }

    /** The event as one line of JSON, without a line break. */
    public String toJson() {
        StringBuilder out = new StringBuilder(512).append('{');
        field(out, "id", id);
        field(out, "timestamp", timestamp.toString());
        field(out, "action", action);
        out.append(",\"target\":{");
        field(out, "mediaType", target.mediaType());
        if (target.size() >= 0) {
            raw(out, "size", Long.toString(target.size()));
        }
        field(out, "digest", target.digest());
        if (target.size() >= 0) {
            // distribution repeats the size as length, for receivers written before descriptors
            raw(out, "length", Long.toString(target.size()));
        }
        field(out, "repository", target.repository());
        field(out, "fromRepository", target.fromRepository());
        field(out, "url", target.url());
        field(out, "tag", target.tag());
        out.append("},\"request\":{");
        // distribution writes id and useragent even when empty
        raw(out, "id", Json.quote(request.id() == null ? "" : request.id()));
        field(out, "addr", request.addr());
        field(out, "host", request.host());
        field(out, "method", request.method());
        raw(out, "useragent", Json.quote(request.userAgent() == null ? "" : request.userAgent()));
        out.append("},\"actor\":{");
        field(out, "name", actor);
        token.ifPresent(t -> {
            field(out, "tokenID", t.id());
            field(out, "tokenLabel", t.label());
        });
        out.append("},\"source\":{");
        field(out, "addr", source.addr());
        field(out, "instanceID", source.instanceId());
        return out.append("}}").toString();
    }

    /** Appends {@code "name":"value"} (with a comma unless it opens an object); nothing when the value is empty. */
    private static void field(StringBuilder out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            raw(out, name, Json.quote(value));
        }
    }

    private static void raw(StringBuilder out, String name, String json) {
        if (out.charAt(out.length() - 1) != '{') {
            out.append(',');
        }
        out.append('"').append(name).append("\":").append(json);
    }

    /** The registry's notification envelope around some events' JSON: {@code {"events":[...]}}. */
    public static String envelope(Iterable<String> eventsJson) {
        StringBuilder out = new StringBuilder("{\"events\":[");
        boolean first = true;
        for (String json : eventsJson) {
            out.append(first ? "" : ",").append(json);
            first = false;
        }
        return out.append("]}").toString();
    }

    /** The media type of {@link #envelope}, as the registry sends it. */
    public static final String MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";
}
