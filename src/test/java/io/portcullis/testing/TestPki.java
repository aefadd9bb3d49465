package io.portcullis.testing;

import io.portcullis.tls.CertificateGenerator;
import io.portcullis.tls.KeyType;
import io.portcullis.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one PKI helper of the tests. In memory: a CA ({@code new TestPki()}) that issues server certificates
 * for localhost/127.0.0.1 the way a renewal would (same CA, new key and serial), expired ones, and client
 * certificates; or a self-signed server certificate ({@link #selfSigned}). As PEM files: any {@link Pair}
 * {@link Pair#write writes} itself, and {@link #genCert} makes the files a user would, with the real jar's
 * {@code gen-cert --ca}.
 */
public final class TestPki {
    public static final List<String> HOSTS = List.of("localhost", "127.0.0.1");

    /** A key pair and its certificate. */
    public record Pair(KeyPair keys, X509Certificate certificate) {
        public BigInteger serial() {
            return certificate.getSerialNumber();
        }

        public void write(Path certFile, Path keyFile) throws IOException {
            Files.writeString(certFile, Pem.certificates(List.of(certificate)));
            Files.writeString(keyFile, Pem.privateKey(keys.getPrivate()));
        }

        /** A client context that trusts this certificate only (for a self-signed one). */
        public SSLContext trustingContext() throws Exception {
            return trusting(certificate);
        }
    }

    private final KeyPair caKeys = newKeys();
    private final X509Certificate ca;

    public TestPki() {
        this("Test CA");
    }

    public TestPki(String caName) {
        ca = CertificateGenerator.certificateAuthority(caKeys, caName, 2);
    }

    public X509Certificate ca() {
        return ca;
    }

    /** Writes the CA certificate to {@code file}, for a gate's {@code client-ca} or a client's trust. */
    public Path writeCa(Path file) throws IOException {
        return Files.writeString(file, Pem.certificates(List.of(ca)));
    }

    /** A server certificate for {@link #HOSTS}, issued by this CA. */
    public Pair issue(int days) {
        KeyPair keys = newKeys();
        return new Pair(keys, CertificateGenerator.signedLeaf(keys.getPublic(), HOSTS, days, caKeys, ca));
    }

    /** A server certificate that is its own issuer; clients trust the certificate itself. */
    public static Pair selfSigned(List<String> hosts, int days) {
        KeyPair keys = newKeys();
        return new Pair(keys, CertificateGenerator.selfSignedLeaf(keys, hosts, days));
    }

    /** A certificate for {@code keys} that expired yesterday (CertificateGenerator only makes valid ones). */
    public Pair expired(KeyPair keys) throws Exception {
        Instant now = Instant.now();
        return new Pair(keys, sign(builder("CN=localhost", keys, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)))));
    }

    /** A TLS client certificate ({@code clientAuth}) for {@code commonName}, issued by this CA. */
    public Pair client(String commonName, int days) throws Exception {
        KeyPair keys = newKeys();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = builder("CN=" + commonName, keys, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(days)));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new Pair(keys, sign(builder));
    }

    /** A client context that trusts this CA only, as a docker client with certs.d/ca.crt would. */
    public SSLContext clientContext() throws Exception {
        return trusting(ca);
    }

    private JcaX509v3CertificateBuilder builder(String subject, KeyPair keys, Instant from, Instant to) {
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()).abs().add(BigInteger.ONE),
                Date.from(from), Date.from(to), new X500Name(subject), keys.getPublic());
    }

    private X509Certificate sign(JcaX509v3CertificateBuilder builder) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static KeyPair newKeys() {
        return CertificateGenerator.generateKeyPair(KeyType.EC, 0);
    }

    /** A client context that trusts {@code anchor} only. */
    public static SSLContext trusting(X509Certificate anchor) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("trusted", anchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return client;
    }

    /**
     * The certificates a user would make: {@code portcullis gen-cert --ca --out-dir DIR --host 127.0.0.1
     * --host localhost --host ::1}, run with the real jar, writes a CA and a leaf for the gate.
     */
    public static PemFiles genCert(Path dir) {
        Cmd.Result r = Cmd.of(Tools.javaBinary().toString(), "-jar", Tools.gateJar().toString(), "gen-cert", "--ca",
                        "--out-dir", dir.toString(), "--host", "127.0.0.1", "--host", "localhost", "--host", "::1")
                .timeout(Duration.ofSeconds(60)).ok();
        PemFiles pki = new PemFiles(dir);
        for (Path p : List.of(pki.caCert(), pki.caKey(), pki.cert(), pki.key())) {
            if (!Files.isRegularFile(p)) {
                throw new AssertionError("gen-cert did not write " + p + ": " + r.describe());
            }
        }
        try {
            Path ca = Files.createDirectories(pki.caDir());
            Files.copy(pki.caCert(), ca.resolve("ca.crt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pki;
    }

    /**
     * The PEM files of a CA and a gate certificate in {@code dir}, as gen-cert names them. {@link #caDir()} is a
     * directory that holds only {@code ca.crt}, the shape skopeo's {@code --cert-dir} and docker's certs.d expect.
     */
    public record PemFiles(Path dir) {
        public Path caCert() {
            return dir.resolve("ca.crt");
        }

        public Path caKey() {
            return dir.resolve("ca.key");
        }

        /** The gate's certificate chain (leaf, then CA). */
        public Path cert() {
            return dir.resolve("docker-registry.crt");
        }

        public Path key() {
            return dir.resolve("docker-registry.key");
        }

        /** A directory holding only {@code ca.crt}: for {@code skopeo --cert-dir}. */
        public Path caDir() {
            return dir.resolve("trust");
        }
    }
}
