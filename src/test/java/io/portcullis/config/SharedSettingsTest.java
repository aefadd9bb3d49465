package io.portcullis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.Cidr;
import io.portcullis.base.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The redis and proxy-protocol-from settings as an operator writes them, and the one-line errors for mistakes. */
class SharedSettingsTest {
    @TempDir
    Path dir;

    private SharedSettings load(Map<String, String> flags, Map<String, String> env) {
        return new SettingsLoader(flags, env, dir).load().shared();
    }

    @Test
    void notSetMeansEachGateForItself() {
        SharedSettings s = load(Map.of(), Map.of());
        assertTrue(s.redis().isEmpty());
        assertEquals(List.of(), s.proxyProtocolFrom());
    }

    @Test
    void urlsGetTheirDefaultPortAndDatabase() {
        SharedSettings s = load(Map.of("redis", "rediss://cache.internal/2"), Map.of());
        assertEquals("rediss://cache.internal:6379/2", s.redis().orElseThrow().toString());
        assertTrue(s.redisTls());
        assertEquals(2, s.redisDatabase());
    }

    @Test
    void balancersFromTheEnvironmentSeparatedByCommas() {
        SharedSettings s = load(Map.of(), Map.of("PORTCULLIS_PROXY_PROTOCOL_FROM", "10.0.0.0/8, 192.0.2.7"));
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.0.2.7/32")), s.proxyProtocolFrom());
    }

    @Test
    void mistakesSayWhatToWrite() {
        assertMessage(Map.of("redis", "http://redis:6379"), "the scheme must be redis or rediss");
        assertMessage(Map.of("redis", "redis://:secret@redis:6379"), "--redis-password-file");
        assertMessage(Map.of("redis", "redis://redis:6379/cache"), "database number");
        assertMessage(Map.of("proxy-protocol-from", "lb.example"), "10.0.0.0/8");
    }

    @Test
    void aPasswordWrittenIntoTheUrlIsNotRepeatedInTheError() {
        UserError e = assertThrows(UserError.class, () -> load(Map.of("redis", "redis://:s3cret@redis:6379"), Map.of()));
        assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
    }

    private void assertMessage(Map<String, String> flags, String expected) {
        UserError e = assertThrows(UserError.class, () -> load(flags, Map.of()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
