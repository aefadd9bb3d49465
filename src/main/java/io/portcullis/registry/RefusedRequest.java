package io.portcullis.registry;

import java.util.List;

/**
 * A request the gate will not forward because the registry could read it differently from the gate (an encoded
 * {@code /}, a repeated or encoded parameter, a form body) or because it is no registry request at all.
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
