package io.portcullis.api;

import java.util.List;

/**
 * A request the registry routes but the gate will not forward, because the registry could read it differently from
 * the client (an encoded {@code /}, a repeated or encoded parameter, a form body) or the name carries a host prefix.
 * What the registry routes nowhere is a {@link RouterAnswer} instead.
 *
 * @param error  the registry error code that fits, answered with status 400
 * @param reason what is wrong, for the client and the log (the gate's own words, no request bytes)
 */
public record RefusedRequest(RegistryError error, String reason) implements ParsedRequest {
    @Override
    public List<Access> accesses() {
        return List.of();
    }
}
