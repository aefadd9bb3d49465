package io.portcullis.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of a token, {@code pcl_<id>_<secret>}: a prefix secret scanners can match
 * ({@code pcl_[0-9a-f]{16}_[A-Za-z0-9_-]{40}}), an id of 16 hex digits (64 random bits) the gate looks up without
 * scanning, and a secret of 40 base64url characters (240 random bits). Only {@link #hash} of the secret is ever
 * stored: the secret is random and long, so a plain SHA-256 is as good as a slow hash, and costs a microsecond
 * instead of bcrypt's tens of milliseconds. Compared with {@link MessageDigest#isEqual} (constant time).
 */
public record TokenSecret(String id, String secret) {
    public static final String PREFIX = "pcl_";
    static final int ID_CHARS = 16;
    static final int SECRET_BYTES = 30;
    private static final Pattern SHAPE = Pattern.compile("pcl_[0-9a-f]{16}_[A-Za-z0-9_-]{40}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");

    /** A new random id and secret. */
    public static TokenSecret generate(SecureRandom random) {
        byte[] id = new byte[ID_CHARS / 2];
        random.nextBytes(id);
        return new TokenSecret(HexFormat.of().formatHex(id), newSecret(random));
    }

    /** The same id with a new secret (rotation). */
    public TokenSecret rotated(SecureRandom random) {
        return new TokenSecret(id, newSecret(random));
    }

    private static String newSecret(SecureRandom random) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The id and secret of a password that has a token's shape; empty for anything else (a plain password). */
    public static Optional<TokenSecret> parse(CharSequence password) {
        if (password.length() != 61 || !SHAPE.matcher(password).matches()) {
            return Optional.empty();
        }
        String text = password.toString();
        return Optional.of(new TokenSecret(text.substring(4, 20), text.substring(21)));
    }

    /** Whether {@code id} is a well-formed token id (for the CLI and the web page, before any lookup). */
    public static boolean isId(String id) {
        return ID.matcher(id).matches();
    }

    /** What the user types as the password: shown once, at creation or rotation, never stored. */
    public String text() {
        return PREFIX + id + "_" + secret;
    }

    /** SHA-256 of the secret, hex: the only form the store keeps. */
    public String hash() {
        return hashOf(secret);
    }

    static String hashOf(String secret) {
        return HexFormat.of().formatHex(SHA256.get().digest(secret.getBytes(StandardCharsets.US_ASCII)));
    }

    /** One digest per thread: a provider lookup per request costs more than the hash of 40 bytes. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    });

    /** Constant-time comparison of two stored hashes. */
    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        // never the secret, should a record end up in a log line
        return "TokenSecret[id=" + id + "]";
    }
}
