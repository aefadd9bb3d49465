package io.portcullis.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenPolicyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final TokenPolicy bounded = new TokenPolicy(Duration.ofDays(90), Optional.of(Duration.ofDays(365)));

    @Test
    void everyTokenExpiresByDefaultAndNoneOutlivesTheMaximum() {
        assertEquals(Optional.of(NOW.plus(Duration.ofDays(90))), bounded.expiry(Optional.empty(), false, NOW));
        assertEquals(Optional.of(NOW.plus(Duration.ofHours(1))), bounded.expiry(Optional.of(Duration.ofHours(1)), false, NOW));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> bounded.expiry(Optional.of(Duration.ofDays(366)), false, NOW));
        assertTrue(tooLong.getMessage().contains("365d"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bounded.expiry(Optional.empty(), true, NOW));
    }

    @Test
    void neverOnlyWhenTheOperatorTurnedTheMaximumOff() {
        TokenPolicy open = new TokenPolicy(Duration.ofDays(90), Optional.empty());
        assertEquals(Optional.empty(), open.expiry(Optional.empty(), true, NOW));
        assertEquals(Optional.of(NOW.plus(Duration.ofDays(3650))), open.expiry(Optional.of(Duration.ofDays(3650)), false, NOW));
    }
}
