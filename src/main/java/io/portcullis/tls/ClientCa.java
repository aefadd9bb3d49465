package io.portcullis.tls;

import io.portcullis.base.UserError;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * The CAs a client certificate must chain to when {@code --client-ca} is set (mTLS-only deployments): a PEM bundle
 * read once at start into the JDK's PKIX trust manager, which also checks validity dates and key usage.
 */
public final class ClientCa {
    public static final String FLAG = "--client-ca";

    private ClientCa() {
    }

    public static X509TrustManager load(Path bundle) {
        return load(bundle, "client CA file", FLAG);
    }

    /** The CAs of a PEM bundle named by another setting (--redis-ca), with that setting in its errors. */
    public static X509TrustManager load(Path bundle, String what, String flag) {
        PemFile file = new PemFile(what, flag, bundle);
        List<X509Certificate> cas = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : file.readObjects()) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    cas.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new UserError(file.describe() + " holds a certificate Java cannot read; set " + flag + " to PEM CA certificates");
                }
            }
        }
        if (cas.isEmpty()) {
            throw new UserError(file.describe() + " holds no certificate; set " + flag + " to a PEM bundle of CA certificates");
        }
        return trustManager(cas);
    }

    static X509TrustManager trustManager(List<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("client-ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK has no X509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust store in memory", e);
        }
    }
}
