package io.portcullis.reload;

import io.portcullis.tls.CertificateGenerator;
import io.portcullis.tls.KeyType;
import io.portcullis.tls.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA that issues server certificates for localhost/127.0.0.1, the way a renewal would: same CA, new key and serial. */
final class TestPki {
    static final List<String> HOSTS = List.of("localhost", "127.0.0.1");

    record Pair(KeyPair keys, X509Certificate certificate) {
        BigInteger serial() {
            return certificate.getSerialNumber();
        }

        void write(Path certFile, Path keyFile) throws IOException {
            Files.writeString(certFile, Pem.certificates(List.of(certificate)));
            Files.writeString(keyFile, Pem.privateKey(keys.getPrivate()));
        }
    }

    private final KeyPair caKeys = CertificateGenerator.generateKeyPair(KeyType.EC, 0);
    private final X509Certificate ca = CertificateGenerator.certificateAuthority(caKeys, "Reload Test CA", 2);

    Pair issue(int days) {
        KeyPair keys = CertificateGenerator.generateKeyPair(KeyType.EC, 0);
        return new Pair(keys, CertificateGenerator.signedLeaf(keys.getPublic(), HOSTS, days, caKeys, ca));
    }

    /** A certificate for {@code keys} that expired yesterday (CertificateGenerator only makes valid ones). */
    Pair expired(KeyPair keys) throws Exception {
        Instant now = Instant.now();
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(3))), Date.from(now.minus(Duration.ofDays(1))),
                new X500Name("CN=localhost"), keys.getPublic());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        return new Pair(keys, cert);
    }

    /** A client context that trusts this CA only, as a docker client with certs.d/ca.crt would. */
    SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return client;
    }
}
