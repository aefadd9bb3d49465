package io.portcullis.base;

/** Host names and addresses as they are written next to a port: an IPv6 literal in brackets, everything else as is. */
public final class HostText {
    private HostText() {
    }

    /** {@code ::1} → {@code [::1]}; a name, an IPv4 address or an already bracketed IPv6 address unchanged. */
    public static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** {@code HOST:PORT}, with an IPv6 host in brackets. */
    public static String withPort(String host, Object port) {
        return bracketed(host) + ":" + port;
    }
}
