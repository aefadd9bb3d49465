package io.portcullis.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies: {@code X-Portcullis-Signature: sha256=<hex HMAC-SHA256 of the body>}, the scheme GitHub's
 * webhooks use, so a receiver checks it with one openssl or library call.
 */
final class Signature {
    static final String HEADER = "X-Portcullis-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    Signature(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    static Signature ofSecret(String secret) {
        return new Signature(secret.getBytes(StandardCharsets.UTF_8));
    }
}
