package io.portcullis.ui;

import io.portcullis.shared.SharedKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens for the delete form: an HMAC, under the catalog's signing key, of the user and the manifest to delete.
 * Nothing is stored; a token from one user, for one manifest, is worthless for anything else. The key is made at
 * start, or shared by every gate through Redis (so a form rendered by one gate is accepted by another); a token
 * signed under an earlier key (before a restart without Redis) no longer passes.
 */
final class CsrfTokens {
    private final Supplier<byte[]> key;

    CsrfTokens() {
        this(SharedKey.named("catalog-csrf", java.util.Optional.empty()));
    }

    CsrfTokens(Supplier<byte[]> key) {
        this.key = key;
    }

    String token(String user, String repository, String digest) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
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
