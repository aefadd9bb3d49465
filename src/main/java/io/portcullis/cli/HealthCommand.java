package io.portcullis.cli;

import io.portcullis.base.UserError;
import io.portcullis.config.ValueParsers;
import io.portcullis.base.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.concurrent.Callable;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis health}: asks a running gate's /readyz and exits 0 when it answers 200, else 1, printing one
 * line. Made for Docker's HEALTHCHECK in an image without curl; the JVM start dominates its cost.
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = {"Check a running gate: GET its /readyz; exit 0 when it answers 200 (ready), 1 otherwise.",
                "For https URLs the certificate the gate presents is accepted as is, without checking who issued it "
                        + "or the host name: this is a probe of a local process, not a connection that carries secrets. "
                        + "Give --cacert to verify the certificate and host name instead."})
public final class HealthCommand implements Callable<Integer> {
    static final int READY = 0;
    static final int NOT_READY = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "https://127.0.0.1:5043/readyz",
            description = "The gate's readiness URL, on the main listener (https) or the admin listener (http). "
                    + "Default: ${DEFAULT-VALUE}.")
    String url;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "PEM CA (or the gate's own certificate) to verify the gate against, host name included.")
    Path caCert;

    @Option(names = "--insecure",
            description = "Accept whatever certificate the gate presents (the default when --cacert is not given).")
    boolean insecure;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "Longest wait for the answer, e.g. 5s or 500ms. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Override
    public Integer call() {
        if (insecure && caCert != null) {
            throw new UserError("give either --cacert or --insecure, not both");
        }
        URL target = target();
        int millis = (int) timeoutMillis();
        PrintWriter out = spec.commandLine().getOut();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) target.openConnection(Proxy.NO_PROXY);
            if (c instanceof HttpsURLConnection https) {
                configureTls(https);
            }
            c.setConnectTimeout(millis);
            c.setReadTimeout(millis);
            c.setInstanceFollowRedirects(false);
            int status = c.getResponseCode();
            String body = read(status < 400 ? c.getInputStream() : c.getErrorStream());
            out.println((status == 200 ? "ready: " : "not ready: ") + status + " " + oneLine(body.strip()));
            out.flush();
            return status == 200 ? READY : NOT_READY;
        } catch (IOException e) {
            out.println("not ready: " + target + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + LogText.printable(e.getMessage())));
            out.flush();
            return NOT_READY;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private URL target() {
        try {
            URI uri = new URI(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new UserError("--url must be an http or https URL, e.g. https://127.0.0.1:5043/readyz");
            }
            return uri.toURL();
        } catch (java.net.URISyntaxException | java.net.MalformedURLException | IllegalArgumentException e) {
            throw new UserError("--url '" + url + "' is not a URL, e.g. https://127.0.0.1:5043/readyz");
        }
    }

    private long timeoutMillis() {
        try {
            return ValueParsers.positiveDuration(timeout).toMillis();
        } catch (IllegalArgumentException e) {
            throw new UserError("--timeout '" + timeout + "': " + e.getMessage());
        }
    }

    private void configureTls(HttpsURLConnection https) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (caCert == null) {
                ctx.init(null, new TrustManager[] {new AcceptAnyCertificate()}, null);
                // set on this connection only: nothing else in the process trusts blindly
                https.setHostnameVerifier((host, session) -> true);
            } else {
                ctx.init(null, trustManagersFor(caCert), null);
            }
            https.setSSLSocketFactory(ctx.getSocketFactory());
        } catch (GeneralSecurityException | IOException e) {
            throw new UserError("cannot use --cacert " + caCert + ": " + e.getMessage());
        }
    }

    private static TrustManager[] trustManagersFor(Path file) throws GeneralSecurityException, IOException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new UserError("--cacert " + file + " holds no PEM certificate");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    /** The answer's JSON as is (quotes kept, unlike log text), but on one line and bounded. */
    private static String oneLine(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 1024; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
    }

    /** The probe's default: a local health check cares whether the gate answers, not who signed its certificate. */
    // Extended, so the JDK does not wrap it in its own checks (which would include the host name)
    private static final class AcceptAnyCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
