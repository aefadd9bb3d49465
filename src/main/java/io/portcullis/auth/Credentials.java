package io.portcullis.auth;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password taken from one {@code Authorization: Basic} header. Anything else (no header,
 * several headers, another scheme, bad base64, no colon) yields nothing, which the caller answers with 401.
 * {@link #toString()} never shows the password.
 */
public final class Credentials {
    private static final String BASIC = "basic ";

    private final String user;
    private final byte[] password;

    Credentials(String user, byte[] password) {
        this.user = user;
        this.password = password;
    }

    public static Optional<Credentials> from(HeaderMap headers) {
        HeaderValues values = headers.get(Headers.AUTHORIZATION);
        if (values == null || values.size() != 1) {
            return Optional.empty();
        }
        return parse(values.getFirst());
    }

    /**
     * True when the request carries no identity: no Authorization header, or Basic with an empty user and
     * password, which is what containers/image (skopeo, podman) sends when it has no credentials.
     */
    public static boolean isAnonymous(HeaderMap headers) {
        HeaderValues values = headers.get(Headers.AUTHORIZATION);
        if (values == null || values.isEmpty()) {
            return true;
        }
        return values.size() == 1 && values.getFirst().strip().equalsIgnoreCase("basic Og==");
    }

    static Optional<Credentials> parse(String header) {
        if (header.length() <= BASIC.length() || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(BASIC.length()).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = indexOf(decoded, (byte) ':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, (byte) 0);
        return Optional.of(new Credentials(user, password));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    public String user() {
        return user;
    }

    /** The raw password bytes, as bcrypt wants them (clients send UTF-8; other bytes are kept as they are). */
    byte[] password() {
        return password;
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=<hidden>]";
    }
}
