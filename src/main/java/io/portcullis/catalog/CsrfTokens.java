package io.portcullis.catalog;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens for the delete form: an HMAC, under a key made at start, of the user and the manifest to delete. Nothing is
 * stored; a token from one user, for one manifest, is worthless for anything else (and after a restart).
 */
final class CsrfTokens {
    private final SecretKeySpec key;

    CsrfTokens() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    String token(String user, String repository, String digest) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] out = mac.doFinal((user + "\n" + repository + "\n" + digest).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    boolean valid(String token, String user, String repository, String digest) {
        return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                token(user, repository, digest).getBytes(StandardCharsets.UTF_8));
    }
}
