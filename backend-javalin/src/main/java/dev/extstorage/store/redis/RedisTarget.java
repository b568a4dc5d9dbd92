package dev.extstorage.store.redis;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a Redis URL points, parsed once: one Redis ({@code redis://}, {@code rediss://}) or the seed nodes of a
 * Redis Cluster ({@code redis-cluster://}, {@code rediss-cluster://}), and how to log in. Messages never repeat
 * the URL, which may hold a password.
 *
 * @param cluster  whether the nodes are a cluster's seeds (the client learns the other nodes from them)
 * @param nodes    one node for a single Redis; one or more seeds for a cluster
 * @param user     the ACL user, or {@code null}
 * @param password the password, or {@code null}
 * @param ssl      whether to connect with TLS
 * @param database the database index, or {@code null} for the default (a cluster has only database 0)
 */
public record RedisTarget(boolean cluster, List<HostAndPort> nodes, String user, String password, boolean ssl,
                          Integer database) {
    public static final String CLUSTER_SCHEME = "redis-cluster";
    public static final String CLUSTER_SSL_SCHEME = "rediss-cluster";
    /** What the configuration accepts, for messages. */
    public static final String FORMS = "redis://[user:password@]host[:port][/db], rediss://..., or "
            + "redis-cluster://[user:password@]host1:port1,host2:port2,... (rediss-cluster:// for TLS)";

    public RedisTarget {
        nodes = List.copyOf(nodes);
    }

    /**
     * @param url one of {@link #FORMS}
     * @throws IllegalArgumentException if it is none of them
     */
    public static RedisTarget parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Redis URL is required (" + FORMS + ")");
        }
        String u = url.trim();
        int schemeEnd = u.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : u.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (scheme.equals(CLUSTER_SCHEME) || scheme.equals(CLUSTER_SSL_SCHEME)) {
            return parseCluster(u.substring(schemeEnd + 3), scheme.equals(CLUSTER_SSL_SCHEME));
        }
        return parseSingle(u);
    }

    private static RedisTarget parseSingle(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Redis URL is not a valid URI (expected " + FORMS + ")");
        }
        if (!JedisURIHelper.isRedisScheme(uri) && !JedisURIHelper.isRedisSSLScheme(uri)) {
            // the scheme alone: what follows it may hold a password
            String kind = uri.getScheme() == null ? "(none)" : uri.getScheme();
            throw new IllegalArgumentException("Unsupported Redis URL kind '"
                    + (kind.length() > 40 ? kind.substring(0, 40) : kind) + "': expected " + FORMS);
        }
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("Redis URL must name a host (redis://host:port/db)");
        }
        return new RedisTarget(false, List.of(JedisURIHelper.getHostAndPort(uri)), JedisURIHelper.getUser(uri),
                JedisURIHelper.getPassword(uri), JedisURIHelper.isRedisSSLScheme(uri),
                JedisURIHelper.hasDbIndex(uri) ? JedisURIHelper.getDBIndex(uri) : null);
    }

    /** {@code [user:password@]host:port,host:port,...[/0]}, the part after the scheme. */
    private static RedisTarget parseCluster(String rest, boolean ssl) {
        int slash = rest.indexOf('/');
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        if (!path.isEmpty() && !path.equals("0")) {
            throw new IllegalArgumentException("A Redis Cluster has only database 0: drop the /db of the cluster URL");
        }
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? "" : info.substring(0, colon));
            password = decode(colon < 0 ? info : info.substring(colon + 1));
            user = user.isEmpty() ? null : user;
            password = password.isEmpty() ? null : password;
        }
        List<HostAndPort> nodes = new ArrayList<>();
        for (String node : authority.split(",", -1)) {
            nodes.add(node(node.trim()));
        }
        return new RedisTarget(true, nodes, user, password, ssl, null);
    }

    private static HostAndPort node(String node) {
        int colon = node.lastIndexOf(':');
        String host = colon < 0 ? node : node.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);   // an IPv6 literal
        }
        if (host.isEmpty() || host.contains("[") || host.contains("]")) {
            throw new IllegalArgumentException("Every node of a redis-cluster:// URL must be host:port");
        }
        if (colon < 0) {
            return new HostAndPort(host, 6379);
        }
        try {
            int port = Integer.parseInt(node.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new HostAndPort(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A node of the redis-cluster:// URL has no valid port (1-65535)");
        }
    }

    private static String decode(String s) {
        try {
            // percent-decoding only: a '+' in a password is a '+'
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The user or password of the Redis URL has a bad %-escape");
        }
    }

    /** The nodes as {@code host:port,...}, for log lines (never the password). */
    public String location() {
        return nodes.stream().map(HostAndPort::toString).collect(Collectors.joining(","));
    }
}
