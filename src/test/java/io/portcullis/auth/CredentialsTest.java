package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static String basic(String raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsAtTheFirstColonSoPasswordsMayContainColons() {
        Credentials c = Credentials.parse(basic("alice:pa:ss")).orElseThrow();
        assertEquals("alice", c.user());
        assertArrayEquals("pa:ss".getBytes(StandardCharsets.UTF_8), c.password());
    }

    @Test
    void emptyPasswordIsAPasswordButEmptyUserIsNot() {
        assertTrue(Credentials.parse(basic("alice:")).isPresent());
        assertFalse(Credentials.parse(basic(":pw")).isPresent());
    }

    @Test
    void refusesEverythingElse() {
        assertFalse(Credentials.parse("Basic").isPresent());
        assertFalse(Credentials.parse("Basic ").isPresent());
        assertFalse(Credentials.parse("Basic %%%").isPresent());
        assertFalse(Credentials.parse(basic("no-colon")).isPresent());
        assertFalse(Credentials.parse("Bearer " + basic("a:b").substring(6)).isPresent());
        assertFalse(Credentials.parse("Basicx" + basic("a:b").substring(6)).isPresent());
    }

    @Test
    void severalAuthorizationHeadersAreRefused() {
        HeaderMap headers = new HeaderMap();
        headers.add(Headers.AUTHORIZATION, basic("a:b"));
        assertTrue(Credentials.from(headers).isPresent());
        headers.add(Headers.AUTHORIZATION, basic("c:d"));
        assertFalse(Credentials.from(headers).isPresent());
    }

    @Test
    void toStringHidesThePassword() {
        String shown = Credentials.parse(basic("alice:hunter2")).orElseThrow().toString();
        assertFalse(shown.contains("hunter2"), shown);
        assertTrue(shown.contains("alice"), shown);
    }
}
