package io.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Debian's real OpenLDAP {@code slapd} for one test class, from a generated {@code slapd.conf} (mdb database,
 * the people of {@link TestDirectory} loaded with slapadd), serving LDAPS and StartTLS on two free loopback ports
 * with a certificate of its own test CA. Its stats log ({@code -d 256}) records every search filter and bind DN,
 * so a test can see what the gate asked. {@link #stop()} then {@link #start()} brings it back on the same ports.
 *
 * <p>A JUnit 5 extension ({@link ClassDaemon}): register it before the {@link Stack} whose gate flags read its ports.
 */
public final class SlapdProcess extends ClassDaemon {
    private static final Pattern STARTED = Pattern.compile("slapd starting");

    private Path dir;
    private int ldapsPort;
    private int startTlsPort;

    private SlapdProcess(String name) {
        super(name);
    }

    public static SlapdProcess fixture(String name) {
        return new SlapdProcess(name);
    }

    @Override
    public DaemonProcess prepare(Path dir) throws IOException {
        this.dir = dir;
        Path slapd = Tools.require("slapd", "slapd");
        Path slapadd = Tools.require("slapadd", "slapd");
        certificates();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("slapd.conf"), config());
        Files.write(dir.resolve("people.ldif"), TestDirectory.ldif(false));
        Cmd.of(slapadd.toString(), "-f", dir.resolve("slapd.conf").toString(), "-l", dir.resolve("people.ldif").toString())
                .timeout(Duration.ofSeconds(60)).ok();
        ldapsPort = FreePorts.next();
        startTlsPort = FreePorts.next();
        return new DaemonProcess("slapd", List.of(slapd.toString(), "-f", dir.resolve("slapd.conf").toString(),
                "-h", "ldaps://127.0.0.1:" + ldapsPort + "/ ldap://127.0.0.1:" + startTlsPort + "/", "-d", "256"),
                dir.resolve("slapd.log"));
    }

    /**
     * A CA and a certificate for 127.0.0.1 made by openssl: slapd's GnuTLS refuses the EC keys the JDK encodes
     * ("ASN1 parser: Element was not found", measured with slapd 2.5.13), and openssl's own load fine.
     */
    private void certificates() throws IOException {
        String p256 = "ec_paramgen_curve:P-256";
        Cmd.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", p256, "-nodes", "-keyout", at("ca.key"),
                "-out", at("ca.pem"), "-subj", "/CN=Directory Test CA", "-days", "2",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign").ok();
        Cmd.of("openssl", "req", "-newkey", "ec", "-pkeyopt", p256, "-nodes", "-keyout", at("key.pem"), "-out", at("csr.pem"),
                "-subj", "/CN=127.0.0.1").ok();
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Cmd.of("openssl", "x509", "-req", "-in", at("csr.pem"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"),
                "-CAcreateserial", "-out", at("cert.pem"), "-days", "2", "-extfile", at("san.cnf")).ok();
    }

    private String at(String file) {
        return dir.resolve(file).toString();
    }

    private String config() {
        return String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "include /etc/ldap/schema/nis.schema",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "pidfile " + dir.resolve("slapd.pid"),
                "TLSCACertificateFile " + dir.resolve("ca.pem"),
                "TLSCertificateFile " + dir.resolve("cert.pem"),
                "TLSCertificateKeyFile " + dir.resolve("key.pem"),
                // users may bind with their password, nobody reads it; the rest is readable by the gate's bind
                "access to attrs=userPassword by anonymous auth by self read by * none",
                "access to * by dn.exact=\"" + TestDirectory.SERVICE_DN + "\" read by * none",
                "database mdb",
                "maxsize 16777216",
                "suffix \"" + TestDirectory.BASE + "\"",
                "directory " + dir.resolve("data"),
                "");
    }

    /** Starts (again) on the same ports and waits until it accepts connections. */
    @Override
    public void start() {
        int from = log().length();
        process().start();
        process().awaitLog(STARTED, from, Duration.ofSeconds(30));
        if (!Poll.until(() -> accepts(ldapsPort) && accepts(startTlsPort), Duration.ofSeconds(30))) {
            throw new AssertionError("slapd does not accept connections:\n" + log());
        }
    }

    public void stop() {
        process().stop(Duration.ofSeconds(10));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String ldapsUrl() {
        return "ldaps://127.0.0.1:" + ldapsPort;
    }

    public String startTlsUrl() {
        return "ldap://127.0.0.1:" + startTlsPort;
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** The gate flags for this directory: LDAPS, the test CA, the service bind, groups searched under ou=groups. */
    public List<String> gateFlags(Path stackDir) {
        Path secret = stackDir.resolve("ldap-bind.secret");
        try {
            Files.writeString(secret, TestDirectory.SERVICE_PASSWORD + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of("--ldap-url", ldapsUrl(), "--ldap-ca", caFile().toString(), "--ldap-bind-dn", TestDirectory.SERVICE_DN,
                "--ldap-bind-password-file", secret.toString(), "--ldap-user-base", TestDirectory.PEOPLE,
                "--ldap-group-base", TestDirectory.GROUPS, "--ldap-timeout", "3s");
    }
}
