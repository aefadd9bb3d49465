package io.portcullis.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@link TokenStore#create} is asked for, already checked by the caller (the owner exists or is a robot, the
 * scopes parse, the expiry respects the maximum: {@link TokenPolicy}).
 */
public record TokenRequest(String owner, String label, List<TokenScope> scopes, Optional<Instant> expires) {
    public TokenRequest {
        scopes = List.copyOf(scopes);
    }
}
