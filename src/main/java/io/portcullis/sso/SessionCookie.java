package io.portcullis.sso;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cookies of single sign-on, signed with an HMAC: a random id and its MAC. The key is the gate's own, made at
 * start, or with several gates the one they share through Redis ({@code SharedKey}), so a cookie one gate set is
 * read by every other. A cookie whose MAC does not match is refused before any store lookup. {@code __Host-} names: Secure, Path=/, no Domain,
 * so no other host or path can set or shadow them; HttpOnly; SameSite=Lax, because the provider sends the browser
 * back with a top-level GET that must carry the sign-in cookie (Strict would drop it).
 */
final class SessionCookie {
    static final String SESSION = "__Host-portcullis-session";
    static final String SIGN_IN = "__Host-portcullis-sign-in";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<byte[]> key;

    /** @param key the HMAC key, read at every use (a shared key can change once, when a gate joins Redis late) */
    SessionCookie(Supplier<byte[]> key) {
        this.key = key;
    }

    /** 256 random bits, base64url. */
    static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    void set(HttpServerExchange exchange, String name, String id, Duration maxAge) {
        exchange.setResponseCookie(cookie(name, id + "." + mac(id)).setMaxAge((int) Math.min(Integer.MAX_VALUE, maxAge.toSeconds())));
    }

    void clear(HttpServerExchange exchange, String name) {
        exchange.setResponseCookie(cookie(name, "").setMaxAge(0));
    }

    /** The id in the request's cookie {@code name}, when its MAC is right. */
    Optional<String> read(HttpServerExchange exchange, String name) {
        Cookie cookie = exchange.getRequestCookie(name);
        if (cookie == null || cookie.getValue() == null) {
            return Optional.empty();
        }
        String value = cookie.getValue();
        int dot = value.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String id = value.substring(0, dot);
        byte[] given = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, mac(id).getBytes(StandardCharsets.US_ASCII)) ? Optional.of(id) : Optional.empty();
    }

    private static Cookie cookie(String name, String value) {
        return new CookieImpl(name, value).setPath("/").setSecure(true).setHttpOnly(true).setSameSite(true).setSameSiteMode("Lax");
    }

    private String mac(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
