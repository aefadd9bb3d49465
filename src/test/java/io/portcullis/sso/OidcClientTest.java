package io.portcullis.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.portcullis.config.SsoSettings;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ID token validation against a real OpenID provider (mock-oauth2-server, in-process, over HTTP on loopback): the
 * gate reads its discovery document and keys like any provider's. Only a token the provider signed, for this
 * client, unexpired, with the sign-in's nonce passes.
 */
class OidcClientTest {
    private static final String CLIENT = "portcullis";
    private final MockOAuth2Server provider = new MockOAuth2Server();
    private OidcClient client;
    private final Nonce nonce = new Nonce();

    @BeforeEach
    void start() throws Exception {
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        URI issuer = provider.issuerUrl("default").uri();
        client = new OidcClient(new SsoSettings(SsoSettingsIssuer.of(issuer), CLIENT, Path.of("unused"),
                URI.create("https://127.0.0.1:5043/ui/sso/callback"), List.of("openid"), "groups", Duration.ofHours(1)), "secret");
    }

    @AfterEach
    void stop() {
        provider.shutdown();
    }

    private SignedJWT token(String issuerId, List<String> audience, Map<String, Object> claims, long expirySeconds) {
        return provider.issueToken(issuerId, CLIENT, new DefaultOAuth2TokenCallback(issuerId, "dora", "JWT", audience, claims,
                expirySeconds));
    }

    @Test
    void aTokenTheProviderSignedForThisClientWithTheNoncePasses() throws Exception {
        SignedJWT jwt = token("default", List.of(CLIENT), Map.of("nonce", nonce.getValue(), "groups", List.of("developers", "ops")), 300);
        OidcClient.Identity who = client.identity(client.validate(jwt, nonce));
        assertEquals(new OidcClient.Identity("dora", Set.of("developers", "ops")), who);
    }

    @Test
    void aTokenForAnotherClientIsRefused() {
        SignedJWT jwt = token("default", List.of("some-other-app"), Map.of("nonce", nonce.getValue()), 300);
        OidcClient.SignInFailed e = assertThrows(OidcClient.SignInFailed.class, () -> client.validate(jwt, nonce));
        assertTrue(e.getMessage().toLowerCase().contains("audience"), e.getMessage());
    }

    @Test
    void aTokenSignedByAnyoneButTheProviderIsRefused() throws Exception {
        SignedJWT genuine = token("default", List.of(CLIENT), Map.of("nonce", nonce.getValue()), 300);
        // same header (the provider's key id), same claims, another key: what a forger can make
        RSAKey forgersKey = new RSAKeyGenerator(2048).keyID(genuine.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(forgersKey.getKeyID()).build(),
                genuine.getJWTClaimsSet());
        forged.sign(new RSASSASigner(forgersKey));
        assertThrows(OidcClient.SignInFailed.class, () -> client.validate(forged, nonce));
        // and the genuine one passes, so the refusal is the signature's
        client.validate(genuine, nonce);
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        SignedJWT genuine = token("default", List.of(CLIENT), Map.of("nonce", nonce.getValue()), 300);
        com.nimbusds.jwt.PlainJWT plain = new com.nimbusds.jwt.PlainJWT(genuine.getJWTClaimsSet());
        assertThrows(OidcClient.SignInFailed.class, () -> client.validate(plain, nonce));
    }

    @Test
    void anExpiredTokenAnotherIssuersTokenAndAnotherNonceAreRefused() throws Exception {
        SignedJWT expired = token("default", List.of(CLIENT), Map.of("nonce", nonce.getValue()), -600);
        assertThrows(OidcClient.SignInFailed.class, () -> client.validate(expired, nonce));
        SignedJWT otherIssuer = token("other", List.of(CLIENT), Map.of("nonce", nonce.getValue()), 300);
        assertThrows(OidcClient.SignInFailed.class, () -> client.validate(otherIssuer, nonce));
        SignedJWT replayed = token("default", List.of(CLIENT), Map.of("nonce", "from-another-sign-in"), 300);
        assertThrows(OidcClient.SignInFailed.class, () -> client.validate(replayed, nonce));
        JWTClaimsSet noNonce = token("default", List.of(CLIENT), Map.of(), 300).getJWTClaimsSet();
        assertTrue(noNonce.getExpirationTime().after(new Date()));
        assertThrows(OidcClient.SignInFailed.class, () -> client.validate(token("default", List.of(CLIENT), Map.of(), 300), nonce));
    }
}
