package io.portcullis.sso;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.portcullis.config.SsoSettings;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The OpenID Connect relying party, all protocol work done by Nimbus oauth2-oidc-sdk: discovery (read at the first
 * sign-in, so a provider down at start is no start-up error, and again after a failure), the authorization request
 * with PKCE (S256), state and nonce, the code exchange with the client secret, and the ID token's validation: RS256
 * signature against the provider's published keys (fetched again when a token names a key not yet seen, so
 * rotation needs nothing from us), issuer, audience, expiry and nonce. Blocking: call it on a worker thread.
 */
final class OidcClient {
    private static final int TIMEOUT_MS = 5_000;
    private static final int MAX_DOCUMENT = 256 * 1024;

    private final SsoSettings settings;
    private final ClientID clientId;
    private final Secret secret;
    private final AtomicReference<Provider> provider = new AtomicReference<>();
    /** When discovery last failed (nanoTime), so a flood of sign-ins at a provider that is down fails fast. */
    private final AtomicLong failedAt = new AtomicLong(Long.MIN_VALUE);
    /** How long a failed discovery is not tried again: one worker waits on the provider, not every sign-in. */
    private static final long RETRY_NANOS = Duration.ofSeconds(10).toNanos();

    /** What discovery found, with the validator built from it once. */
    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator) {
    }

    /** What the callback needs to finish a sign-in; kept on the server, found by the state. */
    record Pending(State state, Nonce nonce, CodeVerifier verifier) {
    }

    /** A validated sign-in: the user name and groups the ID token gives. */
    record Identity(String user, Set<String> groups) {
    }

    /** Anything that makes a sign-in fail; the message is safe to log (never a token or the secret). */
    static final class SignInFailed extends Exception {
        SignInFailed(String message) {
            super(message);
        }

        SignInFailed(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }

    OidcClient(SsoSettings settings, String clientSecret) {
        this.settings = settings;
        this.clientId = new ClientID(settings.clientId());
        this.secret = new Secret(clientSecret);
    }

    /** A new sign-in: the provider's authorization URL to send the browser to, and what the callback checks. */
    URI authorizationRequest(Pending pending) throws SignInFailed {
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new Scope(settings.scopes().toArray(String[]::new)),
                clientId, settings.redirect())
                .endpointURI(provider().metadata().getAuthorizationEndpointURI())
                .state(pending.state())
                .nonce(pending.nonce())
                .codeChallenge(pending.verifier(), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    static Pending newPending() {
        return new Pending(new State(), new Nonce(), new CodeVerifier());
    }

    /** Exchanges the code for tokens and validates the ID token against {@code pending}'s nonce. */
    Identity finish(AuthorizationCode code, Pending pending) throws SignInFailed {
        Provider p = provider();
        TokenRequest request = new TokenRequest.Builder(p.metadata().getTokenEndpointURI(), new ClientSecretBasic(clientId, secret),
                new AuthorizationCodeGrant(code, settings.redirect(), pending.verifier())).build();
        TokenResponse response;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException | ParseException e) {
            throw new SignInFailed("the provider's token endpoint failed", e);
        }
        if (!response.indicatesSuccess()) {
            throw new SignInFailed("the provider refused the code: " + response.toErrorResponse().getErrorObject().getCode());
        }
        JWT idToken = response.toSuccessResponse().getTokens().toOIDCTokens().getIDToken();
        return identity(validate(p.validator(), idToken, pending.nonce()));
    }

    /** Signature, issuer, audience, expiry and nonce, all by the library. */
    IDTokenClaimsSet validate(JWT idToken, Nonce nonce) throws SignInFailed {
        return validate(provider().validator(), idToken, nonce);
    }

    private static IDTokenClaimsSet validate(IDTokenValidator validator, JWT idToken, Nonce nonce) throws SignInFailed {
        try {
            return validator.validate(idToken, nonce);
        } catch (com.nimbusds.jose.JOSEException | com.nimbusds.jose.proc.BadJOSEException e) {
            throw new SignInFailed("the ID token is not valid", e);
        }
    }

    Identity identity(IDTokenClaimsSet claims) throws SignInFailed {
        String user = claims.getStringClaim("preferred_username");
        if (user == null || user.isBlank()) {
            user = claims.getSubject().getValue();
        }
        Set<String> groups = new LinkedHashSet<>();
        Object raw = claims.getClaim(settings.groupsClaim());
        if (raw instanceof List<?> list) {
            list.forEach(g -> groups.add(String.valueOf(g)));
        } else if (raw instanceof String single) {
            groups.add(single);
        }
        return new Identity(user, groups);
    }

    /** Where signing out at the provider goes, if it says. */
    URI endSession() throws SignInFailed {
        Object uri = provider().metadata().getCustomParameter("end_session_endpoint");
        return uri == null ? null : URI.create(uri.toString());
    }

    private Provider provider() throws SignInFailed {
        Provider p = provider.get();
        if (p != null) {
            return p;
        }
        long failed = failedAt.get();
        if (failed != Long.MIN_VALUE && System.nanoTime() - failed < RETRY_NANOS) {
            throw new SignInFailed("the provider at " + settings.issuer() + " could not be reached a moment ago; try again shortly");
        }
        try {
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(settings.issuer().toString()), TIMEOUT_MS, TIMEOUT_MS);
            IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), clientId, JWSAlgorithm.RS256,
                    metadata.getJWKSetURI().toURL(), new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, MAX_DOCUMENT));
            p = new Provider(metadata, validator);
        } catch (Exception e) {
            failedAt.set(System.nanoTime());
            throw new SignInFailed("cannot read the provider's discovery document at " + settings.issuer(), e);
        }
        provider.compareAndSet(null, p);
        return provider.get();
    }
}
