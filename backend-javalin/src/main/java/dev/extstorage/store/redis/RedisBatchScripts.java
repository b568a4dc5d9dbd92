package dev.extstorage.store.redis;

import dev.extstorage.model.ServerKeys;
import dev.extstorage.store.BatchWrite;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.Quota;
import redis.clients.jedis.UnifiedJedis;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lua scripts of {@link RedisEphemeralStore#setMany} and {@link RedisEphemeralStore#removeMany}: one script
 * per batch, so a batch is one round trip and atomic (Redis runs a script without interleaving other commands).
 * They keep the counters as {@link RedisQuotaScripts} does, with the same helper functions; the write checks
 * every precondition and the growth of the whole batch before it changes anything. Both may run twice after
 * an unknown outcome: a write finding its own versions holds again and counts its entries once, a removal run
 * again finds nothing.
 */
final class RedisBatchScripts {
    private static final String COMMON = RedisQuotaScripts.script("quota-common.lua");
    // Answers {'ok'}, {'namespace' | 'extension', bytes it would have held}, or {'precondition', index (from 1)
    // [, current version]}; then nothing changed.
    private static final String SET_MANY = COMMON + RedisQuotaScripts.script("quota-set-many.lua");
    // Answers a list of 1 (removed) or 0, one per entry.
    private static final String REMOVE_MANY = COMMON + RedisQuotaScripts.script("quota-remove-many.lua");
    private static final String SET_MANY_SHA = RedisQuotaScripts.sha1(SET_MANY);
    private static final String REMOVE_MANY_SHA = RedisQuotaScripts.sha1(REMOVE_MANY);

    private RedisBatchScripts() {
    }

    /** A precondition of the batch that does not hold: the write's index (from 0) and its current version. */
    record Conflict(int index, String current) {
    }

    /** The counters of the extension and the namespace, then the entries' keys: what both scripts take. */
    private static List<String> keys(String prefix, Namespace ns, List<String> entryKeys) {
        List<String> keys = new ArrayList<>(4 + entryKeys.size());
        keys.add(ServerKeys.Counter.USAGE.extensionKey(prefix, ns.extension()));
        keys.add(ServerKeys.Counter.EXPIRIES.extensionKey(prefix, ns.extension()));
        keys.add(ServerKeys.Counter.USAGE.namespaceKey(prefix, ns.extension(), ns.scope(), ns.userId()));
        keys.add(ServerKeys.Counter.EXPIRIES.namespaceKey(prefix, ns.extension(), ns.scope(), ns.userId()));
        keys.addAll(entryKeys);
        return keys;
    }

    /**
     * Writes the batch with {@code versions} if every precondition holds and its growth fits the bounds.
     *
     * @return {@code null} if it was stored, else the {@link RedisQuotaScripts.Refusal} or the {@link Conflict}
     */
    static Object setMany(UnifiedJedis client, String prefix, Namespace ns, List<String> entryKeys,
                          List<BatchWrite> writes, List<String> versions, Quota quota) {
        List<String> args = new ArrayList<>(3 + 6 * writes.size());
        args.add(Long.toString(Math.min(quota.extensionBytes(), RedisQuotaScripts.MAX_BOUND)));
        args.add(Long.toString(Math.min(quota.ownerBytes(), RedisQuotaScripts.MAX_BOUND)));
        args.add(Integer.toString(RedisQuotaScripts.FORGET_PER_WRITE));
        for (int i = 0; i < writes.size(); i++) {
            BatchWrite w = writes.get(i);
            String[] when = RedisQuotaScripts.conditionArgs(w.condition());
            args.add(w.json());
            args.add(Long.toString(Math.min(w.ttlSeconds(), RedisQuotaScripts.MAX_TTL_SECONDS) * 1000));
            args.add(Long.toString(EntryCost.ofKey(w.key())));
            args.add(versions.get(i));
            args.add(when[0]);
            args.add(when[1]);
        }
        Object reply = RedisQuotaScripts.run(client, SET_MANY, SET_MANY_SHA, keys(prefix, ns, entryKeys), args);
        if (reply instanceof List<?> parts && parts.size() >= 2 && parts.size() <= 3
                && "precondition".equals(RedisQuotaScripts.text(parts.get(0)))) {
            try {
                int index = Integer.parseInt(RedisQuotaScripts.text(parts.get(1))) - 1;
                return new Conflict(index, parts.size() == 3 ? RedisQuotaScripts.text(parts.get(2)) : null);
            } catch (NumberFormatException e) {
                throw RedisQuotaScripts.unexpected(reply);
            }
        }
        return RedisQuotaScripts.parseSet(reply);
    }

    /** Removes the entries; for each, whether it was there. */
    static List<Boolean> removeMany(UnifiedJedis client, String prefix, Namespace ns, List<String> entryKeys,
                                    List<String> keys) {
        List<String> args = new ArrayList<>(keys.size());
        for (String key : keys) {
            args.add(Long.toString(EntryCost.ofKey(key)));
        }
        Object reply = RedisQuotaScripts.run(client, REMOVE_MANY, REMOVE_MANY_SHA, keys(prefix, ns, entryKeys),
                args);
        if (!(reply instanceof List<?> parts) || parts.size() != keys.size()) {
            throw RedisQuotaScripts.unexpected(reply);
        }
        List<Boolean> removed = new ArrayList<>(parts.size());
        for (Object part : parts) {
            if (!(part instanceof Long n) || (n != 0 && n != 1)) {
                throw RedisQuotaScripts.unexpected(reply);
            }
            removed.add(n == 1);
        }
        return removed;
    }
}
