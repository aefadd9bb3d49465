package io.portcullis.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldif.LDIFReader;
import io.portcullis.config.DirectorySettings;
import io.portcullis.testing.TestDirectory;
import io.portcullis.testing.TestPki;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LdapDirectory against UnboundID's in-memory server over real LDAPS and StartTLS, with a test CA. */
class LdapDirectoryTest {
    private static final TestPki PKI = new TestPki("Directory CA");

    @TempDir
    Path dir;
    private InMemoryDirectoryServer server;
    private final List<String> searchFilters = new CopyOnWriteArrayList<>();
    private final List<String> bindDns = new CopyOnWriteArrayList<>();
    private final java.util.Set<Long> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private LdapDirectory directory;

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(TestDirectory.BASE);
        config.setSchema(null); // memberOf as a plain attribute, as directories with a memberof overlay show it
        TestPki.Pair cert = PKI.issue(2);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", cert.keys().getPrivate(), new char[0], new Certificate[] {cert.certificate(), PKI.ca()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0, tls.getServerSocketFactory(), null),
                InMemoryListenerConfig.createLDAPConfig("starttls", loopback, 0, tls.getSocketFactory()));
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
                connections.add(request.getConnectionID());
                searchFilters.add(request.getRequest().getFilter().toString());
            }

            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
                connections.add(request.getConnectionID());
                bindDns.add(request.getRequest().getBindDN());
            }
        });
        server = new InMemoryDirectoryServer(config);
        try (LDIFReader ldif = new LDIFReader(new BufferedReader(new StringReader(String.join("\n", TestDirectory.ldif(true)))))) {
            server.importFromLDIF(true, ldif);
        }
        server.startListening();
    }

    @AfterEach
    void stop() {
        if (directory != null) {
            directory.close();
        }
        server.shutDown(true);
    }

    private DirectorySettings settings(String url, Optional<String> groupBase, Path ca) throws Exception {
        Path secret = Files.writeString(dir.resolve("bind.secret"), TestDirectory.SERVICE_PASSWORD + "\n");
        return new DirectorySettings(URI.create(url), Optional.of(ca), Optional.of(TestDirectory.SERVICE_DN),
                Optional.of(secret), TestDirectory.PEOPLE, "(uid={user})", "memberOf", groupBase,
                "(|(member={dn})(uniqueMember={dn})(memberUid={user}))", Duration.ofSeconds(2), 2);
    }

    private LdapDirectory ldaps(Optional<String> groupBase) throws Exception {
        directory = LdapDirectory.open(settings("ldaps://127.0.0.1:" + server.getListenPort("ldaps"), groupBase,
                PKI.writeCa(dir.resolve("ca.pem"))));
        return directory;
    }

    private static LoginVerdict login(LdapDirectory d, String user, String password) {
        return d.check(user, password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRightPasswordIsAcceptedWithTheGroupsOfTheMemberOfAttribute() throws Exception {
        LdapDirectory d = ldaps(Optional.empty());
        assertEquals(LoginVerdict.accepted(Set.of("developers")), login(d, "dora", TestDirectory.password("dora")));
        assertEquals(LoginVerdict.accepted(Set.of()), login(d, "nick", TestDirectory.password("nick")));
        assertTrue(bindDns.contains("uid=dora," + TestDirectory.PEOPLE), "bound as the entry the search found: " + bindDns);
    }

    @Test
    void groupsCanComeFromAGroupSearchInstead() throws Exception {
        LdapDirectory d = ldaps(Optional.of(TestDirectory.GROUPS));
        assertEquals(LoginVerdict.accepted(Set.of("readers")), login(d, "rita", TestDirectory.password("rita")));
    }

    @Test
    void startTlsWorksAndTheSameLoginsHold() throws Exception {
        directory = LdapDirectory.open(settings("ldap://127.0.0.1:" + server.getListenPort("starttls"), Optional.empty(),
                PKI.writeCa(dir.resolve("ca.pem"))));
        assertEquals(LoginVerdict.accepted(Set.of("developers")), login(directory, "dora", TestDirectory.password("dora")));
        assertEquals(LoginVerdict.REJECTED, login(directory, "dora", "wrong"));
    }

    @Test
    void aWrongPasswordAnUnknownNameAndAnAmbiguousNameAreRejected() throws Exception {
        LdapDirectory d = ldaps(Optional.empty());
        assertEquals(LoginVerdict.REJECTED, login(d, "dora", "wrong"));
        assertEquals(LoginVerdict.REJECTED, login(d, "nobody", "nobody-pw"));
        assertEquals(LoginVerdict.REJECTED, login(d, "twin", TestDirectory.password("twin")), "two entries match: neither is bound");
        assertTrue(bindDns.stream().noneMatch(dn -> dn.contains("twin")), "no bind as either twin: " + bindDns);
    }

    @Test
    void anEmptyPasswordIsNeverSentAsABind() throws Exception {
        LdapDirectory d = ldaps(Optional.empty());
        int before = bindDns.size();
        assertEquals(LoginVerdict.REJECTED, login(d, "dora", ""));
        assertEquals(before, bindDns.size(), "no bind went out: an empty simple bind is an anonymous one");
    }

    @Test
    void filterCharactersInTheNameAreLiteralAndNeverWidenTheSearch() throws Exception {
        LdapDirectory d = ldaps(Optional.empty());
        // a literal '*' in a real name still logs in, so the escaping keeps the name whole
        assertEquals(LoginVerdict.accepted(Set.of()), login(d, "star*user", TestDirectory.password("star*user")));
        for (String attack : List.of("*", "star*", "*)(uid=*", "dora)(|(uid=*", "dora\u0000", "(dora)", "do*",
                "*)(|(objectClass=*", "a".repeat(300), "dora\\2a")) {
            int binds = bindDns.size();
            assertEquals(LoginVerdict.REJECTED, login(d, attack, TestDirectory.password("dora")), attack);
            assertEquals(binds, bindDns.size(), "nothing found, nobody bound, for " + attack);
        }
        for (String filter : searchFilters) {
            assertTrue(filter.startsWith("(uid=") && !filter.substring(5, filter.length() - 1).contains("(")
                    && !filter.substring(5).contains("*"), "one equality match on uid, escaped: " + filter);
        }
    }

    @Test
    void aDirectoryThatStoppedIsUnavailableWithinTheTimeout() throws Exception {
        LdapDirectory d = ldaps(Optional.empty());
        assertEquals(LoginVerdict.accepted(Set.of("developers")), login(d, "dora", TestDirectory.password("dora")));
        server.shutDown("ldaps", true);
        long start = System.nanoTime();
        assertEquals(LoginVerdict.UNAVAILABLE, login(d, "dora", TestDirectory.password("dora")));
        assertEquals(LoginVerdict.UNAVAILABLE, login(d, "rita", TestDirectory.password("rita")));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0, "bounded by the 2 s timeout");
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        Path otherCa = new TestPki("Other CA").writeCa(dir.resolve("other.pem"));
        directory = LdapDirectory.open(settings("ldaps://127.0.0.1:" + server.getListenPort("ldaps"), Optional.empty(), otherCa));
        assertEquals(LoginVerdict.UNAVAILABLE, login(directory, "dora", TestDirectory.password("dora")));
        assertTrue(bindDns.stream().noneMatch(dn -> dn.startsWith("uid=dora")), "no password went to an unverified server");
    }

    @Test
    void aNameTheCertificateDoesNotCoverIsRefused() throws Exception {
        TestPki.Pair elsewhere = TestPki.selfSigned(List.of("ldap.elsewhere.example"), 2);
        Path ca = dir.resolve("self.pem");
        Files.writeString(ca, io.portcullis.tls.Pem.certificates(List.of(elsewhere.certificate())));
        // the server still presents its own certificate; trusting only another name's certificate must fail too
        directory = LdapDirectory.open(settings("ldaps://127.0.0.1:" + server.getListenPort("ldaps"), Optional.empty(), ca));
        assertEquals(LoginVerdict.UNAVAILABLE, login(directory, "dora", TestDirectory.password("dora")));
    }

    @Test
    void manyLoginsAtOnceShareTheBoundedPools() throws Exception {
        LdapDirectory d = ldaps(Optional.empty());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<LoginVerdict>> logins = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                logins.add(threads.submit(() -> login(d, "dora", TestDirectory.password("dora"))));
            }
            for (java.util.concurrent.Future<LoginVerdict> login : logins) {
                assertEquals(LoginVerdict.accepted(Set.of("developers")), login.get());
            }
        } finally {
            threads.shutdownNow();
        }
        // ldap-connections 2: two for searches (bound as the service) and two for the users' binds, never more
        assertTrue(connections.size() <= 4, "connections used: " + connections.size());
    }
}
