package dev.extstorage.store.redis;

import dev.extstorage.model.Precondition;
import dev.extstorage.model.ServerKeys;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The Lua scripts with which {@link RedisEphemeralStore} writes and removes entries, keeping the byte counters
 * of the extension and of the namespace in the same atomic step (Redis runs a script without interleaving
 * other commands, also those of other server instances).
 *
 * <p>A counter is two keys (see {@link ServerKeys.Counter}): a {@code #usage} hash holding {@code total}, the
 * bytes counted, and for every second in which counted entries expire the bytes of those entries, under the
 * second (Unix time) as field; and an {@code #expiries} sorted set of those seconds. Each entry is written with
 * an absolute expiry ({@code SET ... PXAT}) and its bytes are counted under the second it expires in
 * ({@code ceil(ms / 1000)}); a later change reads that second back exactly with {@code PEXPIRETIME}. Once a
 * second has passed, every entry counted under it has expired, so a write first forgets the passed seconds
 * (at most {@value #FORGET_PER_WRITE} per counter, to bound its work). Each counter key expires with the last
 * second it counts, so a counter nobody writes disappears once everything it counted has expired.
 *
 * <p>Both scripts derive what they change from the entry as Redis holds it, not from the caller's belief:
 * running the write twice counts the entry once (the second run replaces the value with itself), and running
 * the removal twice is a no-op. So a call whose outcome is unknown (a connection broken mid-reply) may be run
 * again. Needs Redis 7.0 or later ({@code PEXPIRETIME}).
 *
 * <p>Versions: an entry's string is {@code '#'}, its version (16 hex digits, {@link dev.extstorage.store.Versions})
 * and its JSON text ({@link RedisEntries}), so value and version change together in one {@code SET}. The header
 * costs nothing: the scripts count an entry as its key, its JSON text and the overhead, as before. A string
 * without the header is an entry written before versions; its version is {@link dev.extstorage.store.Versions#LEGACY}.
 * Both scripts check a precondition (mode and versions, see {@link #conditionArgs}) against the entry's version
 * before changing anything, in the same atomic step. A write run again after an unknown outcome finds its own
 * new version and still succeeds; a conditional removal run again finds nothing and fails
 * {@code PRECONDITION_FAILED} (version {@code null}), which tells the caller to read again.
 */
final class RedisQuotaScripts {
    /** How many passed expiry seconds one write forgets per counter, at most. */
    static final int FORGET_PER_WRITE = 256;
    /**
     * Bounds above this are passed as this: no Redis holds a pebibyte, and every figure the scripts compute then
     * stays exact in Lua's double-precision numbers.
     */
    static final long MAX_BOUND = 1L << 50;
    /** TTLs above ten years are kept ten years (the tier may evict early), keeping expiry times exact in Lua. */
    static final long MAX_TTL_SECONDS = 10L * 366 * 24 * 3600;

    // KEYS[1] the entry; KEYS[2], KEYS[3] the extension's #usage and #expiries; KEYS[4], KEYS[5] the namespace's.
    private static final String COMMON = script("quota-common.lua");

    // ARGV[1] the value; ARGV[2] the TTL in ms; ARGV[3] the entry's cost without its value (key bytes and
    // overhead); ARGV[4] the extension's bound; ARGV[5] the namespace's bound; ARGV[6] FORGET_PER_WRITE;
    // ARGV[7] the new version; ARGV[8], ARGV[9] the precondition's mode and versions.
    // Answers {'ok'}, or {'namespace' | 'extension', bytes it would have held}, or {'precondition'[, current
    // version]}, and then changes nothing.
    private static final String SET = COMMON + script("quota-set.lua");

    // ARGV[1] the entry's cost without its value; ARGV[2], ARGV[3] the precondition's mode and versions.
    // Answers 1 if an entry was removed, else 0; or {'precondition'[, current version]} and removes nothing.
    private static final String REMOVE = COMMON + script("quota-remove.lua");

    private static final String SET_SHA = sha1(SET);
    private static final String REMOVE_SHA = sha1(REMOVE);

    private RedisQuotaScripts() {
    }

    /**
     * A write the script refused: which bound and the bytes the extension or namespace would have held.
     *
     * @param namespace {@code true} for the namespace's bound, {@code false} for the extension's
     */
    record Refusal(boolean namespace, long wouldHold) {
    }

    /**
     * A precondition the script found not to hold; nothing was changed.
     *
     * @param current the entry's version then, {@code null} if it was absent
     */
    record Conflict(String current) {
    }

    /** The keys a script touches for {@code entryKey} of {@code ns}, in the order the scripts expect. */
    static List<String> keys(String prefix, Namespace ns, String entryKey) {
        return List.of(entryKey,
                ServerKeys.Counter.USAGE.extensionKey(prefix, ns.extension()),
                ServerKeys.Counter.EXPIRIES.extensionKey(prefix, ns.extension()),
                ServerKeys.Counter.USAGE.namespaceKey(prefix, ns.extension(), ns.scope(), ns.userId()),
                ServerKeys.Counter.EXPIRIES.namespaceKey(prefix, ns.extension(), ns.scope(), ns.userId()));
    }

    /**
     * Writes the entry with {@code version} if {@code condition} holds and it stays within the bounds.
     *
     * @param fixedCost the entry's cost without its value: its key's UTF-8 bytes and the per-entry overhead
     * @return {@code null} if the entry was stored, else the {@link Refusal} or the {@link Conflict} (nothing
     *         was changed)
     * @throws IllegalStateException on a reply the script cannot give (the caller reports the store unavailable)
     */
    static Object set(UnifiedJedis client, List<String> keys, String json, long ttlSeconds, long fixedCost,
                      Quota quota, String version, Precondition condition) {
        long ttlMs = Math.min(ttlSeconds, MAX_TTL_SECONDS) * 1000;
        String[] when = conditionArgs(condition);
        List<String> args = List.of(json, Long.toString(ttlMs), Long.toString(fixedCost),
                Long.toString(Math.min(quota.extensionBytes(), MAX_BOUND)),
                Long.toString(Math.min(quota.ownerBytes(), MAX_BOUND)), Integer.toString(FORGET_PER_WRITE),
                version, when[0], when[1]);
        Object reply = run(client, SET, SET_SHA, keys, args);
        Conflict conflict = parseConflict(reply);
        return conflict != null ? conflict : parseSet(reply);
    }

    /**
     * Removes the entry if {@code condition} holds, giving back what it cost.
     *
     * @return {@link Boolean#TRUE} if an entry was removed, {@link Boolean#FALSE} if there was none, or the
     *         {@link Conflict} (nothing was removed)
     */
    static Object remove(UnifiedJedis client, List<String> keys, long fixedCost, Precondition condition) {
        String[] when = conditionArgs(condition);
        Object reply = run(client, REMOVE, REMOVE_SHA, keys, List.of(Long.toString(fixedCost), when[0], when[1]));
        Conflict conflict = parseConflict(reply);
        if (conflict != null) {
            return conflict;
        }
        if (!(reply instanceof Long removed) || (removed != 0 && removed != 1)) {
            throw unexpected(reply);
        }
        return removed == 1;
    }

    /**
     * The precondition as the scripts take it: its mode and its versions separated by spaces (versions are
     * letters and digits only, {@link Precondition#isWellFormed}, so the list splits back exactly).
     */
    static String[] conditionArgs(Precondition condition) {
        return switch (condition.kind()) {
            case NONE -> new String[] {"none", ""};
            case ABSENT -> new String[] {"absent", ""};
            case PRESENT -> new String[] {"present", ""};
            case VERSION -> new String[] {"version", String.join(" ", condition.versions())};
        };
    }

    static Conflict parseConflict(Object reply) {
        if (reply instanceof List<?> parts && !parts.isEmpty() && "precondition".equals(text(parts.get(0)))) {
            if (parts.size() == 1) {
                return new Conflict(null);
            }
            String current = parts.size() == 2 ? text(parts.get(1)) : null;
            if (current == null) {
                throw unexpected(reply);
            }
            return new Conflict(current);
        }
        return null;
    }

    static Object run(UnifiedJedis client, String script, String sha, List<String> keys,
                              List<String> args) {
        try {
            return client.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            // Redis lost its script cache (a restart, a fail-over, SCRIPT FLUSH): nothing ran. EVAL runs the
            // script and caches it again for the next EVALSHA.
            return client.eval(script, keys, args);
        }
    }

    static Refusal parseSet(Object reply) {
        if (reply instanceof List<?> parts && !parts.isEmpty()) {
            String outcome = text(parts.get(0));
            if ("ok".equals(outcome) && parts.size() == 1) {
                return null;
            }
            if (("namespace".equals(outcome) || "extension".equals(outcome)) && parts.size() == 2) {
                String wouldHold = text(parts.get(1));
                try {
                    return new Refusal("namespace".equals(outcome), Long.parseLong(wouldHold));
                } catch (NumberFormatException e) {
                    throw unexpected(reply);
                }
            }
        }
        throw unexpected(reply);
    }

    static String text(Object part) {
        if (part instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return part instanceof String || part instanceof Long ? part.toString() : null;
    }

    static IllegalStateException unexpected(Object reply) {
        String shown = reply instanceof List<?> parts ? "a list of " + parts.size()
                : reply == null ? "null" : reply.getClass().getSimpleName();
        return new IllegalStateException("Unexpected reply from the Redis quota script: " + shown);
    }

    /** A script's Lua source, kept beside this class as a resource (the contract of each is stated above). */
    static String script(String name) {
        try (InputStream in = RedisQuotaScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + RedisQuotaScripts.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha1(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(40);
            for (byte x : digest) {
                b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-1", e);
        }
    }
}
