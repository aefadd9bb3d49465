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
public final class CertificateReload implements Reloadable {
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final ServerTls tls;
    private final Path cert;
    private final Path key;
    private final Optional<Path> keyPasswordFile;
    // Content of the files behind the pair in service: an unchanged pair is not reloaded (nor logged).
    private List<Fingerprint> applied;

    /** The files' current content is taken to be what {@code tls} serves (it was just loaded from them). */
    public CertificateReload(ServerTls tls, Path cert, Path key, Optional<Path> keyPasswordFile) {
        this.tls = tls;
        this.cert = cert;
        this.key = key;
        this.keyPasswordFile = keyPasswordFile;
        this.applied = fingerprints();
    }

    /** The files whose change calls for a reload; the password file goes with an encrypted key. */
    @Override
    public String name() {
        return "certificate";
    }

    @Override
    public List<Path> files() {
        List<Path> files = new ArrayList<>(List.of(cert, key));
        keyPasswordFile.ifPresent(files::add);
        return files;
    }

    @Override
    public ReloadReport reload() {
        // Taken before reading: if a file changes while it is read, the next event sees a difference and retries.
        List<Fingerprint> now = fingerprints();
        if (now.equals(applied)) {
            return ReloadReport.unchanged();
        }
        TlsMaterial material;
        try {
            material = load();
            refuseExpired(material.leaf());
        } catch (UserError e) {
            return ReloadReport.rejected("Certificate not reloaded, the previous one stays in service: " + e.getMessage());
        }
        tls.swap(material);
        applied = now;
        X509Certificate leaf = material.leaf();
        Instant notAfter = leaf.getNotAfter().toInstant();
        List<String> warnings = new ArrayList<>();
        if (notAfter.isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            warnings.add("The reloaded certificate from " + cert + " expires on " + notAfter + ": renew it soon");
        }
        return ReloadReport.reloaded("Reloaded certificate " + leaf.getSubjectX500Principal().getName()
                + ", serial " + leaf.getSerialNumber().toString(16).toUpperCase() + ", valid until " + notAfter, warnings);
    }

    private TlsMaterial load() {
        char[] password = keyPasswordFile.map(TlsMaterial::readPasswordFile).orElse(null);
        try {
            return TlsMaterial.load(cert, key, password);
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

    private List<Fingerprint> fingerprints() {
        return files().stream().map(Fingerprint::of).toList();
    }
}
