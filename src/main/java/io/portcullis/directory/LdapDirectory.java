package io.portcullis.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import io.portcullis.base.LogText;
import io.portcullis.config.DirectorySettings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Basic logins against an LDAP directory: search the user with the gate's own bind (the login name escaped into
 * the filter, RFC 4515, so {@code *)(uid=*} is a literal name, never a wider search), then bind as the one entry
 * found with the given password, then read its groups. No DN is ever built from the login name: the DN bound
 * is the one the directory returned, so RFC 4514 escaping has nothing to guard.
 *
 * <p>Searches and the users' binds use two pools ({@link DirectoryPools}): a bind changes a connection's identity,
 * so bind connections never search, and a login costs one bind, not a bind and a re-bind.
 */
public final class LdapDirectory implements DirectoryLogin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LdapDirectory.class);

    private final DirectorySettings settings;
    private final DirectoryPools pools;

    LdapDirectory(DirectorySettings settings, DirectoryPools pools) {
        this.settings = settings;
        this.pools = pools;
    }

    /** Sets up the pools without connecting: a directory that is down at start leaves htpasswd users working. */
    public static LdapDirectory open(DirectorySettings settings) {
        return new LdapDirectory(settings, DirectoryPools.open(settings));
    }

    @Override
    public LoginVerdict check(String user, byte[] password) {
        if (password.length == 0 || user.isEmpty()) {
            // an empty simple bind is an anonymous bind (RFC 4513 5.1.2), which many servers accept: never sent
            return LoginVerdict.REJECTED;
        }
        try {
            List<SearchResultEntry> found = pools.searches().search(userSearch(user)).getSearchEntries();
            if (found.size() != 1) {
                if (found.size() > 1) {
                    LOG.warn("directory: {} entries match the login name '{}'; refused: make ldap-user-filter match one",
                            found.size(), LogText.printable(user));
                }
                return LoginVerdict.REJECTED;
            }
            SearchResultEntry entry = found.get(0);
            ResultCode bound = pools.binds().bind(new SimpleBindRequest(entry.getDN(), password)).getResultCode();
            if (bound != ResultCode.SUCCESS) {
                return LoginVerdict.REJECTED;
            }
            return LoginVerdict.accepted(groups(user, entry));
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                return LoginVerdict.REJECTED;
            }
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                LOG.warn("directory: more than one entry matches the login name '{}'; refused: make ldap-user-filter match one",
                        LogText.printable(user));
                return LoginVerdict.REJECTED;
            }
            // never the password: the exception carries the request's DN and the server's message only
            LOG.warn("directory {} unavailable for the login of '{}': {}", settings.url(), LogText.printable(user),
                    LogText.printable(e.getMessage()));
            return LoginVerdict.UNAVAILABLE;
        }
    }

    private SearchRequest userSearch(String user) throws LDAPException {
        Filter filter = Filter.create(settings.userFilter().replace("{user}", Filter.encodeValue(user)));
        String[] attributes = settings.groupBase().isPresent() ? new String[] {"1.1"} : new String[] {settings.groupAttribute()};
        SearchRequest request = new SearchRequest(settings.userBase(), SearchScope.SUB, filter, attributes);
        // two are enough to tell "exactly one" from "ambiguous"
        request.setSizeLimit(2);
        request.setTimeLimitSeconds(timeLimitSeconds());
        return request;
    }

    private Set<String> groups(String user, SearchResultEntry entry) throws LDAPException {
        Set<String> groups = new LinkedHashSet<>();
        if (settings.groupBase().isEmpty()) {
            String[] dns = entry.getAttributeValues(settings.groupAttribute());
            for (String dn : dns == null ? new String[0] : dns) {
                groups.add(firstValue(dn));
            }
            return groups;
        }
        Filter filter = Filter.create(settings.groupFilter().replace("{dn}", Filter.encodeValue(entry.getDN()))
                .replace("{user}", Filter.encodeValue(user)));
        SearchRequest request = new SearchRequest(settings.groupBase().get(), SearchScope.SUB, filter, "cn");
        request.setTimeLimitSeconds(timeLimitSeconds());
        for (SearchResultEntry group : pools.searches().search(request).getSearchEntries()) {
            String cn = group.getAttributeValue("cn");
            groups.add(cn != null ? cn : firstValue(group.getDN()));
        }
        return groups;
    }

    /** cn=ci,ou=groups,dc=example,dc=com is the group "ci", as access rules name it. */
    private static String firstValue(String dn) throws LDAPException {
        DN parsed = new DN(dn);
        return parsed.getRDN() == null ? dn : parsed.getRDN().getAttributeValues()[0];
    }

    private int timeLimitSeconds() {
        return (int) Math.max(1, settings.timeout().toSeconds());
    }

    static LDAPConnectionOptions options(DirectorySettings settings) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        int millis = (int) settings.timeout().toMillis();
        options.setConnectTimeoutMillis(millis);
        options.setResponseTimeoutMillis(millis);
        options.setAbandonOnTimeout(true);
        return options;
    }

    @Override
    public void close() {
        pools.close();
    }
}
