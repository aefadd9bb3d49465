package io.portcullis.directory;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import io.portcullis.base.UserError;
import io.portcullis.config.DirectorySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.io.IOException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The two bounded pools a directory login uses: searches (bound as {@code ldap-bind-dn}) and the users' binds.
 * Each holds at most {@code ldap-connections}, opened on first use (a directory down at start is no start-up
 * error); a login that finds all in use waits up to {@code ldap-timeout} for one and never opens more. Every
 * connection is TLS with the host name checked: ldaps from the first byte, or ldap upgraded by StartTLS before
 * any bind.
 */
record DirectoryPools(LDAPConnectionPool searches, LDAPConnectionPool binds) {

    static DirectoryPools open(DirectorySettings settings) {
        try {
            SSLContext tls = new SSLUtil(trust(settings)).createSSLContext("TLS");
            LDAPConnectionOptions options = LdapDirectory.options(settings);
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            String host = settings.url().getHost();
            ServerSet servers = settings.startTls()
                    ? new SingleServerSet(host, settings.port(), options)
                    : new SingleServerSet(host, settings.port(), tls.getSocketFactory(), options);
            PostConnectProcessor startTls = settings.startTls() ? new StartTLSPostConnectProcessor(tls) : null;
            BindRequest service = settings.bindDn().isPresent()
                    ? new SimpleBindRequest(settings.bindDn().get(), bindPassword(settings.bindPasswordFile().orElseThrow()))
                    : null;
            return new DirectoryPools(pool(servers, service, startTls, settings), pool(servers, null, startTls, settings));
        } catch (GeneralSecurityException | LDAPException e) {
            throw new UserError("cannot set up the connection to " + settings.url() + ": " + e.getMessage());
        }
    }

    private static LDAPConnectionPool pool(ServerSet servers, BindRequest bind, PostConnectProcessor startTls,
                                           DirectorySettings settings) throws LDAPException {
        // no connection at start (throwOnConnectFailure false): they open on demand, at most `connections`
        LDAPConnectionPool pool = new LDAPConnectionPool(servers, bind, 0, settings.connections(), startTls, false);
        pool.setCreateIfNecessary(false);
        pool.setMaxWaitTimeMillis(settings.timeout().toMillis());
        // a connection the directory closed (restart) is replaced and the operation tried once more
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
        pool.setConnectionPoolName("portcullis-" + (bind == null ? "binds" : "searches"));
        return pool;
    }

    private static TrustManager trust(DirectorySettings settings) {
        if (settings.ca().isEmpty()) {
            return JVMDefaultTrustManager.getInstance();
        }
        Path ca = settings.ca().get();
        if (!Files.isReadable(ca)) {
            throw new UserError("--ldap-ca " + ca + " cannot be read: give the PEM file of the directory's CA");
        }
        try {
            return new PEMFileTrustManager(ca.toFile());
        } catch (Exception e) {
            throw new UserError("--ldap-ca " + ca + " is not a PEM certificate bundle: " + e.getMessage());
        }
    }

    private static String bindPassword(Path file) {
        try {
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            if (first.isEmpty()) {
                // an empty password would be an anonymous bind that many servers accept
                throw new UserError("--ldap-bind-password-file " + file + " is empty: its first line must be the bind DN's password");
            }
            return first;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("--ldap-bind-password-file " + file + " does not exist: create it with the bind DN's password on its first line");
        } catch (IOException e) {
            throw new UserError("cannot read --ldap-bind-password-file " + file + ": " + e.getMessage());
        }
    }

    void close() {
        searches.close();
        binds.close();
    }
}
