package io.portcullis.config;

import io.portcullis.base.Cidr;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What several gates behind one load balancer need: the Redis server they share state through, and the load
 * balancers whose connections start with a PROXY protocol header naming the real client.
 *
 * @param redis             redis:// or rediss:// URL, empty when each gate keeps its own state
 * @param redisPasswordFile first line: the password
 * @param redisCa           CAs for a rediss:// server's certificate (default: the JDK's)
 * @param proxyProtocolFrom load balancer address blocks; empty: no connection may carry a PROXY header
 */
public record SharedSettings(Optional<URI> redis, Optional<Path> redisPasswordFile, Optional<Path> redisCa,
                             List<Cidr> proxyProtocolFrom) {
    public SharedSettings {
        proxyProtocolFrom = List.copyOf(proxyProtocolFrom);
    }

    public static SharedSettings none() {
        return new SharedSettings(Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** True when the URL asks for TLS to Redis. */
    public boolean redisTls() {
        return redis.map(u -> u.getScheme().equals("rediss")).orElse(false);
    }

    static Optional<URI> redisUrl(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL; expected e.g. redis://redis:6379");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("the scheme must be redis or rediss (TLS), e.g. redis://redis:6379");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("a host is required, e.g. redis://redis:6379");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("put the password in a file named by --redis-password-file, not in the URL");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.matches("/\\d{0,2}")) {
            throw new IllegalArgumentException("the only path a Redis URL takes is a database number, e.g. redis://redis:6379/2");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("give only scheme, host, port and database, e.g. redis://redis:6379/0");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        return Optional.of(URI.create(scheme + "://" + io.portcullis.base.HostText.withPort(uri.getHost(), port) + path));
    }

    static List<Cidr> cidrs(String text) {
        List<Cidr> list = new ArrayList<>();
        for (String part : text.split("[\\s,]+")) {
            if (!part.isEmpty()) {
                list.add(Cidr.parse(part));
            }
        }
        return list;
    }

    /** Database number from the URL path, 0 when none. */
    public int redisDatabase() {
        String path = redis.map(URI::getRawPath).orElse("");
        return path.length() > 1 ? Integer.parseInt(path.substring(1)) : 0;
    }
}
