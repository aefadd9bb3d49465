package io.portcullis.api;

import java.util.regex.Pattern;

/**
 * The registry's grammars for what a request target carries, as docker-registry 2.8's router applies them
 * ({@code registry/api/v2/descriptors.go}, {@code reference/regexp.go}, go-digest's {@code DigestRegexp}). The
 * gate accepts a subset: names without the optional {@code host[:port]/} prefix (clients never send one on the
 * wire), so everything it accepts routes exactly as the registry routes it. The {@code is…} checks are for code
 * that builds registry paths itself (the web UI, the immutable-tags check).
 */
public final class Grammar {
    /** One path component of a repository name; {@code -+} where distribution writes {@code -*}: same language. */
    static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    static final String NAME = COMPONENT + "(?:/" + COMPONENT + ")*";
    /** A host name or IP with an optional port, the prefix distribution's NameRegexp allows before a name. */
    // atomic: a component is always followed by '.', ':' or '/', none of which it contains, so its longest match is
    // the only one that can succeed, and Java need not try the others (on a long path that was quadratic)
    private static final String DOMAIN_COMPONENT = "(?>[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)";
    static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    /** The registry's whole name grammar, host prefix included: what its router routes (the gate forwards NAME only). */
    static final String ROUTED_NAME = "(?:" + DOMAIN + "/)?" + NAME;
    static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    /**
     * go-digest 1.0's DigestRegexp, which the routes of Debian's docker-registry 2.8.2 use (measured: sha256:zz and
     * a:b=c route, the registry answering 400 DIGEST_INVALID; SHA256:aa and a+:00 do not, 404); the registry checks
     * algorithm and length itself.
     */
    static final String DIGEST = "[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+";
    static final String UPLOAD_ID = "[A-Za-z0-9_.=-]+";

    /** Every character any of the grammars above allows in one path segment. */
    static final Pattern SEGMENT_CHARS = Pattern.compile("[A-Za-z0-9._:+=-]*");

    static final Pattern NAME_PATTERN = Pattern.compile(NAME);
    static final Pattern TAG_PATTERN = Pattern.compile(TAG);
    static final Pattern DIGEST_PATTERN = Pattern.compile(DIGEST);

    private Grammar() {
    }

    public static boolean isRepository(String name) {
        return name != null && name.length() <= 255 && NAME_PATTERN.matcher(name).matches();
    }

    public static boolean isTag(String tag) {
        return tag != null && TAG_PATTERN.matcher(tag).matches();
    }

    public static boolean isDigest(String digest) {
        return digest != null && DIGEST_PATTERN.matcher(digest).matches();
    }
}
