package dev.extstorage.store.redis;

import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;

import dev.extstorage.model.Precondition;
import dev.extstorage.model.ServerKeys;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

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
    private static final String COMMON = """
            local function int(n) return string.format('%d', n) end
            local function second(ms) return math.ceil(ms / 1000) end
            local function total(usage) return tonumber(redis.call('HGET', usage, 'total')) or 0 end
            -- The entry's version and the length of its version header ('#' and 16 hex digits), or nil if absent.
            local function current(key)
              local head = redis.call('GETRANGE', key, 0, 16)
              if head == '' and redis.call('EXISTS', key) == 0 then return nil, 0 end
              if string.sub(head, 1, 1) == '#' and string.len(head) == 17 then return string.sub(head, 2), 17 end
              return '0', 0
            end
            -- Whether the precondition holds: mode 'none' | 'absent' | 'present' | 'version' (then the versions,
            -- separated by spaces, that satisfy it).
            local function holds(mode, versions, ver)
              if mode == 'none' then return true end
              if mode == 'absent' then return ver == nil end
              if ver == nil then return false end
              if mode == 'present' then return true end
              for v in string.gmatch(versions, '%S+') do
                if v == ver then return true end
              end
              return false
            end
            local function addToTotal(usage, expiries, delta)
              if delta ~= 0 and redis.call('HINCRBY', usage, 'total', int(delta)) <= 0 then
                redis.call('DEL', usage, expiries)
              end
            end
            -- Adds delta to the bytes of one expiry second and to the total. A second never falls below zero, so
            -- bytes that Redis dropped by itself (eviction) are not given back twice.
            local function change(usage, expiries, sec, delta)
              local field = int(sec)
              local held = tonumber(redis.call('HGET', usage, field)) or 0
              if held + delta > 0 then
                redis.call('HSET', usage, field, int(held + delta))
                if held == 0 then redis.call('ZADD', expiries, field, field) end
              elseif held > 0 then
                delta = -held
                redis.call('HDEL', usage, field)
                redis.call('ZREM', expiries, field)
              else
                return
              end
              addToTotal(usage, expiries, delta)
            end
            """;

    // ARGV[1] the value; ARGV[2] the TTL in ms; ARGV[3] the entry's cost without its value (key bytes and
    // overhead); ARGV[4] the extension's bound; ARGV[5] the namespace's bound; ARGV[6] FORGET_PER_WRITE;
    // ARGV[7] the new version; ARGV[8], ARGV[9] the precondition's mode and versions.
    // Answers {'ok'}, or {'namespace' | 'extension', bytes it would have held}, or {'precondition'[, current
    // version]}, and then changes nothing.
    private static final String SET = COMMON + """
            -- Forgets the seconds that have passed: every entry counted under second s expired by s * 1000 ms.
            local function forget(usage, expiries, now)
              local passed = redis.call('ZRANGEBYSCORE', expiries, '-inf', int(math.floor((now - 1) / 1000)),
                  'LIMIT', 0, tonumber(ARGV[6]))
              if #passed == 0 then return end
              local freed = 0
              for i = 1, #passed do freed = freed + (tonumber(redis.call('HGET', usage, passed[i])) or 0) end
              redis.call('HDEL', usage, unpack(passed))
              redis.call('ZREM', expiries, unpack(passed))
              addToTotal(usage, expiries, -freed)
            end
            local function keepUntil(key, ms)
              local at = redis.call('PEXPIRETIME', key)
              if at ~= -2 and at < ms then redis.call('PEXPIREAT', key, int(ms)) end
            end
            local ver, header = current(KEYS[1])
            -- The entry holding this write's own version is this write run again (a retry): it still holds.
            if ver ~= ARGV[7] and not holds(ARGV[8], ARGV[9], ver) then
              if ver == nil then return {'precondition'} end
              return {'precondition', ver}
            end
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
            forget(KEYS[2], KEYS[3], now)
            forget(KEYS[4], KEYS[5], now)
            local fixed = tonumber(ARGV[3])
            local cost = fixed + string.len(ARGV[1])
            -- -2: no entry; -1: an entry without expiry, never written (so never counted) by this script.
            local oldAt = redis.call('PEXPIRETIME', KEYS[1])
            local oldCost = 0
            if oldAt >= 0 then oldCost = fixed + redis.call('STRLEN', KEYS[1]) - header end
            local grow = cost - oldCost
            if grow > 0 then
              local ns = total(KEYS[4]) + grow
              if ns > tonumber(ARGV[5]) then return {'namespace', int(ns)} end
              local ext = total(KEYS[2]) + grow
              if ext > tonumber(ARGV[4]) then return {'extension', int(ext)} end
            end
            local expiresAt = now + tonumber(ARGV[2])
            redis.call('SET', KEYS[1], '#' .. ARGV[7] .. ARGV[1], 'PXAT', int(expiresAt))
            if oldAt >= 0 then
              change(KEYS[2], KEYS[3], second(oldAt), -oldCost)
              change(KEYS[4], KEYS[5], second(oldAt), -oldCost)
            end
            local sec = second(expiresAt)
            change(KEYS[2], KEYS[3], sec, cost)
            change(KEYS[4], KEYS[5], sec, cost)
            for i = 2, 5 do keepUntil(KEYS[i], sec * 1000) end
            return {'ok'}
            """;

    // ARGV[1] the entry's cost without its value; ARGV[2], ARGV[3] the precondition's mode and versions.
    // Answers 1 if an entry was removed, else 0; or {'precondition'[, current version]} and removes nothing.
    private static final String REMOVE = COMMON + """
            local ver, header = current(KEYS[1])
            if not holds(ARGV[2], ARGV[3], ver) then
              if ver == nil then return {'precondition'} end
              return {'precondition', ver}
            end
            local at = redis.call('PEXPIRETIME', KEYS[1])
            if at == -2 then return 0 end
            local cost = tonumber(ARGV[1]) + redis.call('STRLEN', KEYS[1]) - header
            redis.call('DEL', KEYS[1])
            if at >= 0 then
              change(KEYS[2], KEYS[3], second(at), -cost)
              change(KEYS[4], KEYS[5], second(at), -cost)
            end
            return 1
            """;

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

    private static Conflict parseConflict(Object reply) {
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

    private static Object run(UnifiedJedis client, String script, String sha, List<String> keys,
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

    private static String text(Object part) {
        if (part instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return part instanceof String || part instanceof Long ? part.toString() : null;
    }

    private static IllegalStateException unexpected(Object reply) {
        String shown = reply instanceof List<?> parts ? "a list of " + parts.size()
                : reply == null ? "null" : reply.getClass().getSimpleName();
        return new IllegalStateException("Unexpected reply from the Redis quota script: " + shown);
    }

    private static String sha1(String script) {
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
