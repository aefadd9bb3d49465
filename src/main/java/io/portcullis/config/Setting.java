package io.portcullis.config;

import java.util.Locale;

/**
 * Every setting of {@code portcullis serve}, in one place: its flag (which is also its config-file key), its
 * environment variable, its default and its help text. The CLI options, the config-file parser and
 * {@code proxy.conf.example} are all checked against this list.
 */
public enum Setting {
    LISTEN("listen", "HOST:PORT", "0.0.0.0:5043",
            "Address and port of the HTTPS listener (port 0 picks a free one)."),
    ADMIN_LISTEN("admin-listen", "HOST:PORT", "",
            "Plain-HTTP listener for /livez, /readyz and /metrics, without authentication: bind it to 127.0.0.1 or an internal interface. Off when not set."),
    HTTP_LISTEN("http-listen", "HOST:PORT", "",
            "Optional plain-HTTP listener that only redirects to HTTPS with a message saying so (never proxies)."),
    UPSTREAM("upstream", "URL", "http://127.0.0.1:5000",
            "The registry to forward to (http or https; no path). Also from REGISTRY_HOST/REGISTRY_PORT."),
    CERT("cert", "FILE", "ssl/docker-registry.crt",
            "PEM certificate, or chain bundle with the server certificate first."),
    KEY("key", "FILE", "ssl/docker-registry.key",
            "PEM private key (RSA or EC; PKCS#1, SEC1, PKCS#8, encrypted PKCS#8 or legacy encrypted PEM)."),
    KEY_PASSWORD_FILE("key-password-file", "FILE", "",
            "File whose first line is the password of an encrypted key."),
    CLIENT_CA("client-ca", "FILE", "",
            "PEM bundle of CAs; when set, every client must present a certificate signed by one of them (mTLS) or the handshake fails."),
    TLS_ENGINE("tls-engine", "ENGINE", "auto",
            "What serves TLS: boringssl (native, bundled for linux-x86_64; start-up fails when it cannot load), jsse (the JDK's) or auto (boringssl when it loads, else jsse with a warning)."),
    HTPASSWD("htpasswd", "FILE", "auth/htpasswd",
            "htpasswd file: bcrypt entries; MD5, SHA-1, SHA-crypt and DES crypt accepted with a warning (opened read-only, never written)."),
    ACCESS("access", "FILE", "",
            "Access rules file (see access.conf.example); not set means every valid user may pull, push and delete everything."),
    REALM("realm", "TEXT", "Registry Realm",
            "Realm named in the WWW-Authenticate challenge."),
    SERVER_NAME("server-name", "HOST", "",
            "Name clients use to reach the gate; start-up warns when the certificate does not cover it. Also from SERVER_NAME."),
    HSTS_MAX_AGE("hsts-max-age", "DURATION", "",
            "When set, responses carry Strict-Transport-Security with this max-age (e.g. 365d); browsers then refuse plain HTTP for the host."),
    UI("ui", "on|off", "on",
            "The web catalog at /ui/ (and / redirects there, without a login), behind the same users and access rules; off answers those paths like any other non-registry path."),
    CONNECT_TIMEOUT("connect-timeout", "DURATION", "5s",
            "Time allowed to open a connection to the upstream before answering 503."),
    READ_TIMEOUT("read-timeout", "DURATION", "900s",
            "Longest silence while reading from a client or the upstream (not a limit on a whole transfer)."),
    WRITE_TIMEOUT("write-timeout", "DURATION", "900s",
            "Longest stall while writing to a client or the upstream (not a limit on a whole transfer)."),
    TLS_HANDSHAKE_TIMEOUT("tls-handshake-timeout", "DURATION", "10s",
            "Time a new client connection has to complete its TLS handshake before it is closed."),
    HEADER_TIMEOUT("header-timeout", "DURATION", "60s",
            "Time a client has to send a whole request head once it started one; bytes trickling in do not extend it (nginx client_header_timeout)."),
    KEEPALIVE_TIMEOUT("keepalive-timeout", "DURATION", "75s",
            "How long a client connection may sit idle between requests (and after its handshake, before the first) before it is closed."),
    MAX_CONNECTIONS("max-connections", "N", "2000",
            "Most client connections open at once; further connections are closed as soon as they are accepted (portcullis_connections_refused_total)."),
    MAX_CONNECTIONS_PER_ADDRESS("max-connections-per-address", "N", "256",
            "Most client connections open at once from one address (IPv6: one /64); a whole office behind one NAT counts as one address."),
    DRAIN_TIMEOUT("drain-timeout", "DURATION", "60s",
            "On SIGTERM or SIGINT, how long requests in flight may take to finish before the gate exits; a second signal exits at once."),
    UPSTREAM_CONNECTIONS("upstream-connections", "N", "64",
            "Upstream connections per IO thread; each running layer transfer holds one for its whole length."),
    UPSTREAM_QUEUE("upstream-queue", "N", "1024",
            "Requests per IO thread that may wait for an upstream connection before the gate answers 503."),
    UPSTREAM_IDLE_TIMEOUT("upstream-idle-timeout", "DURATION", "30s",
            "How long an unused pooled upstream connection is kept open before it is closed."),
    AUTH_CACHE_TTL("auth-cache-ttl", "DURATION", "5m",
            "How long a verified user:password pair is remembered, so a push pays bcrypt once."),
    AUTH_CACHE_SIZE("auth-cache-size", "N", "10000",
            "Most verified credentials remembered at once (0 turns the cache off)."),
    AUTH_PENDING_PER_ADDRESS("auth-pending-per-address", "N", "8",
            "Password checks (cache misses) one client address may have waiting or running at once; more get 429."),
    AUTH_PENDING_TOTAL("auth-pending-total", "N", "64",
            "Password checks waiting or running at once from all clients together; more get 503."),
    THROTTLE_FAILURES("throttle-failures", "N", "10",
            "Failed logins from one client address (IPv6: one /64) within throttle-window before it gets 429 (0 turns this off)."),
    THROTTLE_USER_FAILURES("throttle-user-failures", "N", "30",
            "Failed logins for one user name, from anywhere, within throttle-window after which only addresses with no failures of their own may try it (the user is never locked out; 0 turns this off)."),
    THROTTLE_WINDOW("throttle-window", "DURATION", "1m",
            "How long failed logins are counted, from the first; a throttled client waits until it ends."),
    THROTTLE_MAX_TRACKED("throttle-max-tracked", "N", "100000",
            "Most client addresses (and, separately, user names) with failed logins remembered at once; bounds memory under a flood."),
    IO_THREADS("io-threads", "N", "0",
            "Non-blocking IO threads; 0 means one per CPU core."),
    WORKER_THREADS("worker-threads", "N", "0",
            "Threads for password hashing; 0 means 8 per IO thread."),
    LOG_LEVEL("log-level", "LEVEL", "info",
            "trace, debug, info, warn or error."),
    LOG_FORMAT("log-format", "FORMAT", "combined",
            "Access log lines: combined (Apache/nginx combined plus duration) or json (one object per line)."),
    AUDIT_LOG("audit-log", "FILE", "",
            "Audit trail file: one event per line (the registry's notification event JSON), appended; reopened on SIGHUP or when renamed away (logrotate). Off when not set."),
    AUDIT_WEBHOOK("audit-webhook", "URL", "",
            "Webhook the audit events are POSTed to in the registry's notification envelope; repeat the flag (or the config key) for several, or separate URLs by commas or spaces. Off when not set."),
    AUDIT_WEBHOOK_SECRET_FILE("audit-webhook-secret-file", "FILE", "",
            "File whose first line is the secret that signs webhook bodies (X-Portcullis-Signature: sha256=<hex HMAC-SHA256 of the body>)."),
    AUDIT_ACTIONS("audit-actions", "LIST", "push,delete,mount",
            "Actions recorded: push, delete, mount, pull (manifest GETs; noisy), login.failure, access.denied."),
    AUDIT_QUEUE("audit-queue", "N", "10000",
            "Most events waiting per sink (each webhook, the file); when full the oldest is dropped and counted."),
    STATE_DIR("state-dir", "DIR", "state",
            "Directory for the state the gate writes itself (tokens, the maintenance flag): created readable by the gate's user only when missing; the command-line tools that change that state read the same setting. The image keeps it on the volume /var/lib/portcullis."),
    MAINTENANCE_GRACE("maintenance-grace", "DURATION", "5m",
            "After 'portcullis maintenance on', how long uploads that were already running may go on; other writes are refused at once."),
    CORS_ORIGIN("cors-origin", "ORIGIN", "",
            "Exact origin of a web UI allowed to call the registry API from the browser with the user's credentials (e.g. https://ui.example.com:8443); repeat the flag (or the config key) for several, or separate them by commas or spaces. Never '*'. Off when not set."),
    TOKEN_LIFETIME("token-lifetime", "DURATION", "90d",
            "How long a token lives when `portcullis token create` or the Tokens page is not told (--expires)."),
    TOKEN_MAX_LIFETIME("token-max-lifetime", "DURATION", "365d",
            "The longest a token may be created for; none allows tokens that never expire (--expires never)."),
    REDIS("redis", "URL", "",
            "Redis server shared by several gates behind one load balancer (redis://HOST:PORT or rediss://HOST:PORT for TLS, optional /DB): login throttling, the web catalog's signing key and other state then hold across every gate. Not set: each gate keeps its own, as one gate alone does."),
    REDIS_PASSWORD_FILE("redis-password-file", "FILE", "",
            "File whose first line is the Redis password (AUTH); never on the command line."),
    REDIS_CA("redis-ca", "FILE", "",
            "PEM bundle of CAs that sign the Redis server's certificate, for rediss:// (default: the JDK's trusted CAs)."),
    PROXY_PROTOCOL_FROM("proxy-protocol-from", "CIDR", "",
            "Load balancer addresses (e.g. 10.0.0.0/8 or 192.0.2.7) that put a PROXY protocol header (v1 or v2) before TLS: connections from them must carry one, and the address it names is the client's in throttling, connection caps, logs and the audit trail. Connections from anywhere else are plain TLS, so a header from them is refused. Repeat the flag (or key) for several, or separate them by commas."),
    LDAP_URL("ldap-url", "URL", "",
            "Company directory for basic logins of users not in the htpasswd file: ldaps://HOST[:PORT], or ldap://HOST[:PORT], which always upgrades with StartTLS (never plain text). Off when not set."),
    LDAP_CA("ldap-ca", "FILE", "",
            "PEM bundle of the CAs the directory's certificate must chain to (its host name is checked too); not set means the JVM's trusted CAs."),
    LDAP_BIND_DN("ldap-bind-dn", "DN", "",
            "DN the gate binds as to search for users (and groups); not set means searching anonymously."),
    LDAP_BIND_PASSWORD_FILE("ldap-bind-password-file", "FILE", "",
            "File whose first line is the password of ldap-bind-dn."),
    LDAP_USER_BASE("ldap-user-base", "DN", "",
            "Where users are searched (the whole subtree), e.g. ou=people,dc=example,dc=com; required with ldap-url."),
    LDAP_USER_FILTER("ldap-user-filter", "FILTER", "(uid={user})",
            "Search filter that finds exactly one user; {user} is replaced by the login name, escaped (RFC 4515)."),
    LDAP_GROUP_ATTRIBUTE("ldap-group-attribute", "NAME", "memberOf",
            "Attribute of the user entry that lists its groups' DNs; each group is named by its DN's first value (cn=ci,ou=groups,... is group:ci). Ignored when ldap-group-base is set."),
    LDAP_GROUP_BASE("ldap-group-base", "DN", "",
            "Search groups here instead of reading ldap-group-attribute, e.g. ou=groups,dc=example,dc=com; each group is named by its cn."),
    LDAP_GROUP_FILTER("ldap-group-filter", "FILTER", "(|(member={dn})(uniqueMember={dn})(memberUid={user}))",
            "Filter of the group search; {dn} is the user's DN and {user} the login name, both escaped (RFC 4515)."),
    LDAP_TIMEOUT("ldap-timeout", "DURATION", "5s",
            "Longest wait to connect to the directory, for one answer from it, or for a free pooled connection; past it the login is answered 503."),
    LDAP_CONNECTIONS("ldap-connections", "N", "4",
            "Directory connections for searches, and again for the users' binds: logins beyond these wait (up to ldap-timeout) rather than open more."),
    OIDC_ISSUER("oidc-issuer", "URL", "",
            "OpenID Connect provider for single sign-on to the web catalog (its discovery document is read from ISSUER/.well-known/openid-configuration); https, or http on a loopback address only. Off when not set."),
    OIDC_CLIENT_ID("oidc-client-id", "TEXT", "",
            "The gate's client id at the provider; ID tokens must be issued to it (audience)."),
    OIDC_CLIENT_SECRET_FILE("oidc-client-secret-file", "FILE", "",
            "File whose first line is the client secret (sent with HTTP basic to the token endpoint)."),
    OIDC_REDIRECT_URL("oidc-redirect-url", "URL", "",
            "The gate's callback as registered at the provider: https://YOUR-HOST[:PORT]/ui/sso/callback."),
    OIDC_SCOPES("oidc-scopes", "LIST", "openid profile email",
            "Scopes asked for at sign-in (openid is always included); add the one your provider needs for the groups claim."),
    OIDC_GROUPS_CLAIM("oidc-groups-claim", "NAME", "groups",
            "ID token claim holding the user's groups, matched by group:NAME in the access rules."),
    SSO_SESSION_TTL("sso-session-ttl", "DURATION", "8h",
            "How long a single sign-on session in the web catalog lasts before the user signs in again; signing out ends it at once."),
    SIGN_IN_WINDOW("sign-in-window", "DURATION", "14d",
            "Tokens of users the htpasswd file does not have (single sign-on and directory users) work only while their owner has signed in (to the web catalog, or with the directory password) within this window; past it they get 401 saying to sign in again.");

    private final String key;
    private final String valueLabel;
    private final String defaultValue;
    private final String description;

    Setting(String key, String valueLabel, String defaultValue, String description) {
        this.key = key;
        this.valueLabel = valueLabel;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The config-file key, and the flag without its leading dashes. */
    public String key() {
        return key;
    }

    public String flag() {
        return "--" + key;
    }

    public String environmentVariable() {
        return "PORTCULLIS_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public String valueLabel() {
        return valueLabel;
    }

    /** The default as text; empty means "not set". */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /**
     * Whether the flag and the config key may be given more than once: their values are then joined with commas,
     * the separator the setting's own value already takes (so the environment variable, one value, still works).
     */
    public boolean repeatable() {
        return this == AUDIT_WEBHOOK || this == CORS_ORIGIN || this == PROXY_PROTOCOL_FROM;
    }

    public static java.util.Optional<Setting> byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
