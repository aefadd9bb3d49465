package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every format Apache's htpasswd 2.4 writes verifies with its password and only with it. */
class HashSchemeTest {
    static final String PASSWORD = "correct horse";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // each hash written by Apache htpasswd 2.4 (`htpasswd -nb<flag> u 'correct horse'`) unless noted
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "BCRYPT       | $2y$05$IgmtONhWMAESuIjPSlmFMOKXyGgEoVAdDul5Zty.EH0W40UkOD9He | secret",  // -B -C 5, password 'secret'
            "APR1_MD5     | $apr1$Kn24PEEa$xVW96s2l4oTPevZpoBkML1 | correct horse",                   // -m
            "MD5_CRYPT    | $1$abcdefgh$y6iHhJNbuC0xpbk0w9pm80 | correct horse",                      // openssl passwd -1
            "SHA1         | {SHA}L55TUjtiq8FBorTWAZ0jy6g129A= | correct horse",                       // -s
            "SHA256_CRYPT | $5$0Tq762x.g6ndb15j$XD7gvTrXVgZk9X1upTAn/gA03qUj/WvIiA4ourDo3h8 | correct horse",  // -2
            "SHA256_CRYPT | $5$rounds=10000$p3O82MxfC9DtLEY1$7AWzf0QfXoJqaMnQeNJfWggDAs6BY06/pnOt.ftKZ46 | correct horse",  // -2 -r 10000
            "SHA512_CRYPT | $6$5BPAdlo7Cb6Kqpbw$9FdUQNQoqHYS12HCyAw7kQEgkikNm01IP7Kb3htdhDvgYO7KdMjCjszPOGCh976ozJgsbQLWVIZx8v/kD0FAf/ | correct horse",  // -5
            "DES_CRYPT    | kWojF8Z9mAncE | correct horse",                                           // -d
    })
    void verifiesTheRightPasswordAndNotAWrongOne(HashScheme scheme, String stored, String password) {
        PasswordHash hash = PasswordHash.parse(stored).orElseThrow();

        assertEquals(scheme, hash.scheme());
        assertTrue(hash.verify(b(password)));
        assertFalse(hash.verify(b("C" + password.substring(1))), "a wrong password must not verify");
        assertFalse(hash.verify(b("")));
        assertEquals(scheme != HashScheme.BCRYPT, scheme.weak());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hunter2", "correct horse", "", "$apr1$Kn24PEEa$short", "{SHA}notbase64", "$2y$05$tooShort",
            "$5$salt$tooShort", "kWojF8Z9mAnc" /* 12 chars: not DES */})
    void plainTextAndDamagedHashesAreNoScheme(String stored) {
        assertEquals(Optional.empty(), PasswordHash.parse(stored));
    }

    @org.junit.jupiter.api.Test
    void desCryptOnlyLooksAtTheFirstEightBytesLikeApache() {
        PasswordHash des = PasswordHash.parse("kWojF8Z9mAncE").orElseThrow();
        assertTrue(des.verify(b("correct whatever")), "htpasswd -d truncates to 8 characters; so do we");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$apr1$Kn24PEEa$xVW96s2l4oTPevZpoBkML1", "$5$0Tq762x.g6ndb15j$XD7gvTrXVgZk9X1upTAn/gA03qUj/WvIiA4ourDo3h8",
            "kWojF8Z9mAncE", "{SHA}L55TUjtiq8FBorTWAZ0jy6g129A="})
    void verifyingLeavesTheCallersPasswordIntact(String stored) {
        // commons-codec zeroes the key bytes it hashes; the credential cache needs them after a success
        byte[] password = b(PASSWORD);
        assertTrue(PasswordHash.parse(stored).orElseThrow().verify(password));
        assertEquals(PASSWORD, new String(password, StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void toStringNamesTheSchemeNotTheHash() {
        assertEquals("PasswordHash[MD5]", PasswordHash.parse("$apr1$Kn24PEEa$xVW96s2l4oTPevZpoBkML1").orElseThrow().toString());
    }
}
