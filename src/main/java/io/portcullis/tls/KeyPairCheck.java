package io.portcullis.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/**
 * Proves that a private key belongs to a public key by signing a random nonce. Neither a KeyStore nor the
 * TLS stack checks this, and a mismatch would otherwise only show up as failed handshakes.
 */
final class KeyPairCheck {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyPairCheck() {
    }

    /** Null when the key type is not one we can serve. */
    static String signatureAlgorithm(PrivateKey key) {
        switch (key.getAlgorithm()) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
                return "SHA256withECDSA";
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return "EdDSA";
            default:
                return null;
        }
    }

    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = signatureAlgorithm(privateKey);
        if (algorithm == null) {
            return false;
        }
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        try {
            // Default JDK providers: BouncyCastle is deliberately not registered.
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A public key of another type (RSA cert, EC key) cannot verify: that is a mismatch, not a bug.
            return false;
        }
    }
}
