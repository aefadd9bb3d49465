package io.portcullis.config;

import io.portcullis.base.HostText;

/** A listen address: host (IPv6 without brackets) and port. */
public record HostPort(String host, int port) {

    /** Parses {@code HOST:PORT}, {@code [v6]:PORT} or {@code :PORT} (all interfaces). */
    static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, e.g. 0.0.0.0:5043");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("put an IPv6 address in brackets, e.g. [::1]:5043");
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number from 0 to 65535");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the port must be a number from 0 to 65535");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return HostText.withPort(host, port);
    }
}
