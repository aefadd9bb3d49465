package io.portcullis.sso;

import java.net.URI;

/** The issuer as the settings hold it (no trailing slash), from the test provider's URL. */
final class SsoSettingsIssuer {
    private SsoSettingsIssuer() {
    }

    static URI of(URI issuer) {
        String s = issuer.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }
}
