package io.portcullis.cli;

import io.portcullis.base.HostText;
import io.portcullis.base.UserError;
import io.portcullis.tls.CertificateGenerator;
import io.portcullis.tls.KeyType;
import io.portcullis.tls.Pem;
import org.bouncycastle.util.IPAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

@Command(name = "gen-cert", mixinStandardHelpOptions = true,
        description = {"Generates a private key and a TLS server certificate for the gate.",
                "Without --ca the certificate is self-signed; with --ca a small CA is created too and signs it."})
public final class GenCertCommand implements Runnable {
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "ssl",
            description = "Directory for the files, created if missing (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "docker-registry",
            description = "Base name of the key and certificate files: NAME.key, NAME.crt (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--host", paramLabel = "HOST", split = ",", defaultValue = "localhost,127.0.0.1,::1",
            description = {"DNS name or IP address clients use to reach the gate; repeat for several.",
                    "The first one is also the common name (default: ${DEFAULT-VALUE})."})
    List<String> hosts;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ec", converter = KeyTypeConverter.class,
            description = "ec (P-256) or rsa (default: ${DEFAULT-VALUE}).")
    KeyType keyType;

    @Option(names = "--rsa-bits", paramLabel = "BITS", defaultValue = "" + CertificateGenerator.DEFAULT_RSA_BITS,
            description = "RSA key size, with --key-type rsa (default: ${DEFAULT-VALUE}).")
    int rsaBits;

    @Option(names = "--days", paramLabel = "N", defaultValue = "365",
            description = "Validity in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--ca", description = "Also write ca.crt and ca.key and sign the certificate with that CA; clients then trust ca.crt.")
    boolean ca;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    static final class KeyTypeConverter implements CommandLine.ITypeConverter<KeyType> {
        @Override
        public KeyType convert(String value) {
            for (KeyType type : KeyType.values()) {
                if (type.cliName().equalsIgnoreCase(value)) {
                    return type;
                }
            }
            throw new CommandLine.TypeConversionException("expected ec or rsa, got '" + value + "'");
        }
    }

    @Override
    public void run() {
        List<String> names = normalizedHosts();
        validateNumbers();
        if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
            throw new UserError("--name '" + name + "' must be a plain file name without directories; use --out-dir for the directory");
        }
        Path keyFile = outDir.resolve(name + ".key");
        Path certFile = outDir.resolve(name + ".crt");
        Path caKeyFile = outDir.resolve("ca.key");
        Path caCertFile = outDir.resolve("ca.crt");
        if (ca && (caKeyFile.equals(keyFile) || caCertFile.equals(certFile))) {
            throw new UserError("--name ca would overwrite the CA files with --ca; choose another --name");
        }
        OutputFiles.refuseExisting(ca ? List.of(keyFile, certFile, caKeyFile, caCertFile) : List.of(keyFile, certFile), force);
        OutputFiles.createDirectories(outDir);

        PrintWriter out = spec.commandLine().getOut();
        KeyPair leafKeys = CertificateGenerator.generateKeyPair(keyType, rsaBits);
        X509Certificate leaf;
        if (ca) {
            KeyPair caKeys = CertificateGenerator.generateKeyPair(keyType, rsaBits);
            X509Certificate caCert = CertificateGenerator.certificateAuthority(caKeys, "Portcullis CA for " + names.get(0), days);
            leaf = CertificateGenerator.signedLeaf(leafKeys.getPublic(), names, days, caKeys, caCert);
            OutputFiles.writePrivate(caKeyFile, Pem.privateKey(caKeys.getPrivate()));
            OutputFiles.writePublic(caCertFile, Pem.certificates(List.of(caCert)));
            OutputFiles.writePrivate(keyFile, Pem.privateKey(leafKeys.getPrivate()));
            // The chain goes with the leaf so that clients holding only ca.crt can build the path.
            OutputFiles.writePublic(certFile, Pem.certificates(List.of(leaf, caCert)));
            out.println("Wrote " + caKeyFile + " (CA private key; keep it secret, it can sign certificates for any host)");
            out.println("Wrote " + caCertFile + " (CA certificate; this is what clients trust)");
        } else {
            leaf = CertificateGenerator.selfSignedLeaf(leafKeys, names, days);
            OutputFiles.writePrivate(keyFile, Pem.privateKey(leafKeys.getPrivate()));
            OutputFiles.writePublic(certFile, Pem.certificates(List.of(leaf)));
        }
        out.println("Wrote " + keyFile + " (" + keyDescription() + " private key, readable only by you)");
        out.println("Wrote " + certFile + " (" + (ca ? "certificate" : "self-signed certificate")
                + " for " + String.join(", ", names) + (ca ? ", signed by the CA and followed by the CA certificate" : "")
                + "; valid until "
                + DateTimeFormatter.ISO_LOCAL_DATE.format(leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC)) + ")");
        printHowToUse(out, names.get(0), keyFile, certFile, ca ? caCertFile : certFile);
        out.flush();
    }

    private void printHowToUse(PrintWriter out, String host, Path keyFile, Path certFile, Path trustFile) {
        String hostPort = HostText.withPort(host, "PORT");
        out.println();
        out.println("Serve with:  portcullis serve --cert " + certFile + " --key " + keyFile);
        out.println("Trust it on each client (PORT is the port the gate listens on):");
        out.println("  docker:  sudo mkdir -p /etc/docker/certs.d/" + hostPort
                + " && sudo cp " + trustFile + " /etc/docker/certs.d/" + hostPort + "/ca.crt");
        out.println("  curl:    curl --cacert " + trustFile + " https://" + hostPort + "/v2/");
        // skopeo/podman read every *.key in a --cert-dir as a client key, so the CA needs a folder of its own
        out.println("  skopeo:  mkdir -p certs && cp " + trustFile + " certs/ca.crt && skopeo login --cert-dir certs " + hostPort);
    }

    private String keyDescription() {
        return keyType == KeyType.EC ? "EC P-256" : "RSA " + rsaBits + "-bit";
    }

    private void validateNumbers() {
        if (days < 1) {
            throw new UserError("--days " + days + " is not a positive number of days; give e.g. --days 365");
        }
        if (keyType == KeyType.RSA && (rsaBits < 2048 || rsaBits > 16384)) {
            throw new UserError("--rsa-bits " + rsaBits + " is out of range; use 2048 to 16384 (default " + CertificateGenerator.DEFAULT_RSA_BITS + ")");
        }
    }

    /** Trimmed, brackets removed from IPv6 literals, duplicates dropped, order kept (the first is the CN). */
    private List<String> normalizedHosts() {
        Map<String, String> unique = new LinkedHashMap<>();
        for (String raw : hosts) {
            String host = raw.trim();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                continue;
            }
            if (CertificateGenerator.isIpLiteral(host)) {
                if (!IPAddress.isValid(host)) {
                    throw new UserError("--host " + raw + " is not a valid IP address; give an IPv4 address, an IPv6 address or a DNS name");
                }
            } else if (host.length() > 253 || !DNS_NAME.matcher(host).matches()) {
                throw new UserError("--host " + raw + " is not a valid DNS name; use letters, digits, '-' and '.' only");
            }
            unique.putIfAbsent(host.toLowerCase(Locale.ROOT), host);
        }
        if (unique.isEmpty()) {
            throw new UserError("no --host given; give at least one name clients use to reach the gate, e.g. --host registry.example.com");
        }
        return new ArrayList<>(unique.values());
    }
}
