package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BcryptHashTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void verifiesApacheHtpasswdHashesInEveryBcryptVariant() {
        String y = HtpasswdTest.BOB_HASH;
        assertTrue(BcryptHash.verify(b("secret"), y));
        assertTrue(BcryptHash.verify(b("secret"), y.replace("$2y$", "$2a$")));
        assertTrue(BcryptHash.verify(b("secret"), y.replace("$2y$", "$2b$")));
        assertFalse(BcryptHash.verify(b("Secret"), y));
        assertFalse(BcryptHash.verify(b(""), y));
    }

    @Test
    void passwordsOver72BytesAreTruncatedLikeApacheHtpasswd() {
        // `htpasswd -nbB -C 4 long <72 x's + ABCDEFGH>`: Apache only hashes the first 72 bytes
        String hash = "$2y$04$wmJRDbBdyUZWjxAOkoV1NOrbqZgLX8MX73GTZ4gtm9RvIW.Q8eqY.";
        String first72 = "x".repeat(72);
        assertTrue(BcryptHash.verify(b(first72 + "ABCDEFGH"), hash));
        assertTrue(BcryptHash.verify(b(first72 + "anything else"), hash));
        assertFalse(BcryptHash.verify(b("x".repeat(71)), hash));
    }

    @Test
    void hashesInTheFormatHtpasswdWrites() {
        String hash = BcryptHash.hash(b("pw"), 4);
        assertTrue(hash.startsWith("$2y$04$"), hash);
        assertTrue(BcryptHash.isBcrypt(hash));
        assertEquals(4, BcryptHash.cost(hash));
        assertTrue(BcryptHash.verify(b("pw"), hash));
    }
}
