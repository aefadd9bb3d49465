package io.portcullis.reload;

import io.portcullis.base.UserError;
import io.portcullis.tls.ServerTls;
import io.portcullis.tls.TlsMaterial;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Re-reads the certificate and key and, when they are a valid pair that has not expired, makes new handshakes
 * use them ({@link ServerTls#swap}); running connections keep theirs. Anything wrong leaves the pair in service.
 */
public final class CertificateReload extends FileReload<TlsMaterial> {
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final ServerTls tls;
    private final Path cert;
    private final Path key;
    private final Optional<Path> keyPasswordFile;

    /**
     * The files' current content is taken to be what {@code tls} serves (it was just loaded from them); the password
     * file goes with an encrypted key.
     */
    public CertificateReload(ServerTls tls, Path cert, Path key, Optional<Path> keyPasswordFile) {
        super("certificate", files(cert, key, keyPasswordFile));
        this.tls = tls;
        this.cert = cert;
        this.key = key;
        this.keyPasswordFile = keyPasswordFile;
    }

    private static List<Path> files(Path cert, Path key, Optional<Path> keyPasswordFile) {
        List<Path> files = new ArrayList<>(List.of(cert, key));
        keyPasswordFile.ifPresent(files::add);
        return files;
    }

    @Override
    String notReloaded() {
        return "Certificate not reloaded, the previous one stays in service";
    }

    @Override
    ReloadReport putInService(TlsMaterial material) {
        tls.swap(material);
        X509Certificate leaf = material.leaf();
        Instant notAfter = leaf.getNotAfter().toInstant();
        List<String> warnings = new ArrayList<>();
        if (notAfter.isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            warnings.add("The reloaded certificate from " + cert + " expires on " + notAfter + ": renew it soon");
        }
        return ReloadReport.reloaded("Reloaded certificate " + leaf.getSubjectX500Principal().getName()
                + ", serial " + leaf.getSerialNumber().toString(16).toUpperCase() + ", valid until " + notAfter, warnings);
    }

    /** A valid pair that has not expired. */
    @Override
    TlsMaterial load() {
        char[] password = keyPasswordFile.map(TlsMaterial::readPasswordFile).orElse(null);
        try {
            TlsMaterial material = TlsMaterial.load(cert, key, password);
            refuseExpired(material.leaf());
            return material;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    // Clients refuse an expired certificate: serving it would turn a renewal mistake into an outage.
    private void refuseExpired(X509Certificate leaf) {
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isBefore(Instant.now())) {
            throw new UserError("certificate file " + cert + " expired on " + notAfter + "; install a renewed certificate");
        }
    }
}
