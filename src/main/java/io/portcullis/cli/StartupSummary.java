package io.portcullis.cli;

import io.portcullis.base.HostText;
import io.portcullis.auth.Htpasswd;
import io.portcullis.config.Settings;
import io.portcullis.tls.ServerTls;
import io.portcullis.tls.TlsEngineInUse;
import java.net.InetSocketAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/** What an operator wants to see once at start: where it listens, what it protects, with which certificate. */
final class StartupSummary {
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private StartupSummary() {
    }

    static void log(Logger log, Settings settings, InetSocketAddress bound, Optional<InetSocketAddress> admin,
                    X509Certificate leaf, Htpasswd users, TlsEngineInUse engine) {
        List<String> names = subjectAltNames(leaf);
        log.info("Forwarding to {} for {} user(s) from {}, realm \"{}\"", settings.upstream().url(), users.size(),
                settings.auth().htpasswd(), settings.auth().realm());
        log.info("Certificate {} (subjectAltNames {}), valid until {}", leaf.getSubjectX500Principal().getName(),
                names, leaf.getNotAfter().toInstant());
        if (engine.fellBack()) {
            // measured (bench/rss-probe, docs/tls-and-jvm.md): JSSE costs about twice the CPU per GiB and per handshake
            log.warn("TLS engine: BoringSSL cannot load here ({}); JSSE serves TLS instead, at about twice the CPU per"
                    + " GiB and per new connection (--tls-engine jsse says this is intended)", engine.fallbackReason());
        }
        log.info("TLS engine: {} (--tls-engine {})", engine.describe(), settings.tls().engine().key());
        if (users.size() == 0 && settings.directory().isEmpty()) {
            log.warn("{} has no users: every request will be refused", settings.auth().htpasswd());
        }
        settings.directory().ifPresent(d -> log.info("Directory logins: names not in {} are checked at {} ({}, users under {})",
                settings.auth().htpasswd(), d.url(), d.startTls() ? "StartTLS" : "LDAPS", d.userBase()));
        settings.sso().ifPresent(sso -> {
            if (settings.ui()) {
                log.info("Single sign-on to the web catalog with {} (client {})", sso.issuer(), sso.clientId());
            } else {
                log.warn("--oidc-issuer is set but the web catalog is off (--ui off): single sign-on is not offered");
            }
        });
        users.weakFormatWarning().ifPresent(log::warn);
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isBefore(Instant.now())) {
            log.warn("The certificate expired on {}: clients will refuse it", notAfter);
        } else if (notAfter.isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            log.warn("The certificate expires on {}: renew it soon", notAfter);
        }
        settings.listen().serverName().ifPresent(name -> {
            if (!names.contains(name)) {
                log.warn("Server name {} is not among the certificate's subjectAltNames {}: clients that verify will refuse it",
                        name, names);
            }
        });
        admin.ifPresentOrElse(
                a -> log.info("Admin listener on http://{}:{} (/livez, /readyz, /metrics; no authentication){}",
                        host(a), a.getPort(), a.getAddress().isLoopbackAddress() ? ""
                                : ": keep it on an internal interface, it is not protected"),
                () -> log.info("Admin listener off (/livez and /readyz are on the main listener; --admin-listen adds /metrics)"));
        log.info("Access log: {} lines on standard output{}", settings.logging().format().key(),
                settings.logging().level().problemsOnly() ? " (off at log level " + settings.logging().level().key() + ")" : "");
        // tests and scripts wait for this line; keep its wording
        log.info("Listening on https://{}:{} ({})", host(bound), bound.getPort(), String.join(", ", ServerTls.PROTOCOLS));
        if (settings.ui()) {
            log.info("Web catalog on https://{}:{}/ui/ (same users and access rules; --ui off turns it off)", host(bound), bound.getPort());
        }
    }

    private static String host(InetSocketAddress bound) {
        String host = bound.getAddress().isAnyLocalAddress() ? "0.0.0.0" : bound.getAddress().getHostAddress();
        return HostText.bracketed(host);
    }

    private static List<String> subjectAltNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    names.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable)");
        }
        return names;
    }
}
