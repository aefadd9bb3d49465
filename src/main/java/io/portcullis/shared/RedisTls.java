package io.portcullis.shared;

import io.portcullis.base.UserError;
import io.portcullis.tls.ClientCa;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/** TLS to Redis (rediss://): the server's certificate checked against --redis-ca, or the JDK's CAs when not set. */
final class RedisTls {
    private RedisTls() {
    }

    static SSLSocketFactory socketFactory(Optional<Path> ca) {
        if (ca.isEmpty()) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {ClientCa.load(ca.get(), "Redis CA file", "--redis-ca")}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new UserError("cannot set up TLS to Redis: " + e.getMessage());
        }
    }
}
