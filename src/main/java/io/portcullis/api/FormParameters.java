package io.portcullis.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters the registry acts on, read as Go's {@code r.FormValue} reads them: names and values
 * percent-decoded ({@code +} is a space), the first value wins, and a form body (POST, PUT, PATCH) is read
 * before the query, a multipart body (any method) after it. The gate accepts only queries where that reading has one answer, which the
 * raw bytes show plainly: such parameters spelled literally and once, valid escapes, no {@code ;} (older Go split
 * on it), no form body. Other parameters pass untouched; the registry ignores them.
 */
final class FormParameters {
    static final String DIGEST = "digest";
    static final String MOUNT = "mount";
    static final String FROM = "from";
    /** Everything distribution reads with FormValue (blob uploads, tags list, catalog, referrers). */
    static final Set<String> READ = Set.of(DIGEST, MOUNT, FROM, "n", "last", "artifactType", "_state");

    private FormParameters() {
    }

    /** The parameters the registry reads; {@code contentTypes} are the request's Content-Type values. */
    static Map<String, String> parse(String rawQuery, Iterable<String> contentTypes) throws NotCanonical {
        // Go reads a urlencoded body on POST, PUT and PATCH, and a multipart one on any method; no client sends either
        for (String contentType : contentTypes) {
            if (isForm(contentType)) {
                throw new NotCanonical(RegistryError.UNSUPPORTED,
                        "form and multipart bodies are not part of the registry API (the registry would read parameters from them)");
            }
        }
        Map<String, String> read = new HashMap<>(4);
        if (rawQuery == null || rawQuery.isEmpty()) {
            return read;
        }
        if (rawQuery.indexOf(';') >= 0) {
            throw new NotCanonical(RegistryError.UNSUPPORTED, "';' is not accepted in the query");
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = unescape(rawName);
            String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
            if (name == null || value == null) {
                throw new NotCanonical(RegistryError.UNSUPPORTED, "the query has an invalid percent-encoding");
            }
            if (!READ.contains(name)) {
                continue;
            }
            if (!rawName.equals(name)) {
                throw new NotCanonical(RegistryError.UNSUPPORTED, "the parameter name '" + name + "' must not be percent-encoded");
            }
            if (read.putIfAbsent(name, value) != null) {
                throw new NotCanonical(RegistryError.UNSUPPORTED, "the parameter '" + name + "' is repeated");
            }
        }
        return checkValues(read);
    }

    private static Map<String, String> checkValues(Map<String, String> read) throws NotCanonical {
        for (String name : new String[] {DIGEST, MOUNT}) {
            String value = read.get(name);
            if (value != null && !value.isEmpty() && !Grammar.DIGEST_PATTERN.matcher(value).matches()) {
                throw new NotCanonical(RegistryError.DIGEST_INVALID, "the '" + name + "' parameter is not a digest");
            }
        }
        String from = read.get(FROM);
        if (from != null && !from.isEmpty() && !Grammar.NAME_PATTERN.matcher(from).matches()) {
            throw new NotCanonical(RegistryError.NAME_INVALID, "the 'from' parameter is not a repository name");
        }
        return read;
    }

    /** The media type as Go's mime.ParseMediaType sees it: before ';', trimmed, lower case. */
    private static boolean isForm(String contentType) {
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return media.equals("application/x-www-form-urlencoded") || media.startsWith("multipart/");
    }

    /** An ASCII hex digit's value (Go accepts no other digits), else -1. */
    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Go's url.QueryUnescape, byte for byte (as ISO-8859-1 chars); null where Go reports an error. */
    static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                    return null;
                }
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else if (c <= ' ' || c > '~') {
                // not something Go would decode differently, but nothing a client sends raw either
                return null;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
