package io.portcullis.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/** Makes keys and X.509 certificates for a gate that has no certificate from a public CA. */
public final class CertificateGenerator {
    public static final int DEFAULT_RSA_BITS = 3072;

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    // Small clock differences between the generating host and clients must not make a fresh certificate "not yet valid".
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateGenerator() {
    }

    public static KeyPair generateKeyPair(KeyType type, int rsaBits) {
        try {
            if (type == KeyType.EC) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(rsaBits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + type + " keys", e);
        }
    }

    /** True for IPv4 dotted quads and anything with a colon (IPv6); everything else is a DNS name. */
    public static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }

    /** A server certificate that is its own issuer; clients trust the certificate itself. */
    public static X509Certificate selfSignedLeaf(KeyPair keys, List<String> hosts, int days) {
        X500Name subject = leafName(hosts);
        return leaf(subject, keys.getPublic(), hosts, days, subject, keys, keys.getPublic());
    }

    /** A server certificate issued by {@code ca} (created by {@link #certificateAuthority}). */
    public static X509Certificate signedLeaf(PublicKey leafKey, List<String> hosts, int days, KeyPair caKeys, X509Certificate ca) {
        X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        return leaf(leafName(hosts), leafKey, hosts, days, issuer, caKeys, ca.getPublicKey());
    }

    /** A CA that may sign server certificates but no further CAs (pathLen 0). */
    public static X509Certificate certificateAuthority(KeyPair keys, String commonName, int days) {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Portcullis")
                .addRDN(BCStyle.CN, commonName)
                .build();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(name, keys.getPublic(), days, name)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(keys.getPublic()));
            return sign(builder, keys);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build CA certificate", e);
        }
    }

    private static X509Certificate leaf(X500Name subject, PublicKey publicKey, List<String> hosts, int days,
                                        X500Name issuer, KeyPair signer, PublicKey issuerPublicKey) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name");
        }
        GeneralName[] names = hosts.stream()
                .map(h -> new GeneralName(isIpLiteral(h) ? GeneralName.iPAddress : GeneralName.dNSName, h))
                .toArray(GeneralName[]::new);
        int usage = KeyUsage.digitalSignature;
        if ("RSA".equals(publicKey.getAlgorithm())) {
            // TLS 1.2 RSA key exchange is off, but some clients still expect this bit on RSA server certificates.
            usage |= KeyUsage.keyEncipherment;
        }
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(issuer, publicKey, days, subject)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerPublicKey));
            return sign(builder, signer);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build server certificate", e);
        }
    }

    private static X500Name leafName(List<String> hosts) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hosts.get(0)).build();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, PublicKey publicKey, int days, X500Name subject) {
        if (days < 1) {
            throw new IllegalArgumentException("validity must be at least one day");
        }
        Instant now = Instant.now();
        // Positive 128-bit serial: unpredictable, and within the 20-octet limit of RFC 5280.
        BigInteger serial = new BigInteger(128, RANDOM).setBit(127);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(Duration.ofDays(days))), subject, publicKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        String algorithm = "RSA".equals(signer.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            // No provider set: the JDK signs, BouncyCastle only assembles the structure.
            ContentSigner contentSigner = new JcaContentSignerBuilder(algorithm).build(signer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
