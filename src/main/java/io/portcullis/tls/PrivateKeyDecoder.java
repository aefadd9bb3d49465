package io.portcullis.tls;

import io.portcullis.base.UserError;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.security.PrivateKey;
import java.util.List;

/** Turns the PEM objects of a key file into one JDK {@link PrivateKey}, decrypting when needed. */
final class PrivateKeyDecoder {
    // No provider set: keys come out as JDK types, which the JDK's TLS stack and Signature need.
    private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter();

    private PrivateKeyDecoder() {
    }

    static PrivateKey decode(PemFile file, List<Object> objects, char[] password) {
        Object keyObject = null;
        boolean sawPublicKey = false;
        for (Object o : objects) {
            if (isPrivateKey(o)) {
                if (keyObject != null) {
                    throw new UserError(file.describe() + " contains more than one private key; keep only the key of the certificate");
                }
                keyObject = o;
            } else if (o instanceof SubjectPublicKeyInfo) {
                sawPublicKey = true;
            }
            // Certificates (combined files) and EC PARAMETERS blocks are fine to skip.
        }
        if (keyObject == null) {
            throw new UserError(file.describe() + (sawPublicKey ? " contains a public key but no private key" : " contains no private key")
                    + "; set " + file.flag() + " to a PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
        PrivateKeyInfo info = decrypt(file, keyObject, password);
        try {
            return CONVERTER.getPrivateKey(info);
        } catch (Exception e) {
            throw new UserError(file.describe() + " holds a key of an unsupported type; use an RSA or EC (P-256/P-384) key");
        }
    }

    private static boolean isPrivateKey(Object o) {
        return o instanceof PEMKeyPair || o instanceof PrivateKeyInfo
                || o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair;
    }

    private static PrivateKeyInfo decrypt(PemFile file, Object keyObject, char[] password) {
        if (keyObject instanceof PEMKeyPair) {
            return ((PEMKeyPair) keyObject).getPrivateKeyInfo();
        }
        if (keyObject instanceof PrivateKeyInfo) {
            return (PrivateKeyInfo) keyObject;
        }
        if (password == null) {
            throw new UserError(file.describe() + " is encrypted; give its password with --key-password-file");
        }
        // A fresh instance per use: registering BouncyCastle globally would turn every EC key into a BC type.
        BouncyCastleProvider bc = new BouncyCastleProvider();
        try {
            if (keyObject instanceof PKCS8EncryptedPrivateKeyInfo) {
                return ((PKCS8EncryptedPrivateKeyInfo) keyObject).decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(bc).build(password));
            }
            return ((PEMEncryptedKeyPair) keyObject)
                    .decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(bc).build(password))
                    .getPrivateKeyInfo();
        } catch (Exception e) {
            // A wrong password shows up as bad padding or, rarely, as garbage that does not parse: both land here.
            throw new UserError("wrong password for " + file.describe() + "; check the file given with --key-password-file");
        }
    }
}
