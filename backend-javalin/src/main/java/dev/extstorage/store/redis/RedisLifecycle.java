package dev.extstorage.store.redis;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.KeyPrefixes;
import dev.extstorage.model.Paging;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.Scope;
import dev.extstorage.model.ServerKeys;
import dev.extstorage.model.UserIds;
import dev.extstorage.store.DataLifecycle;
import dev.extstorage.store.EntryCost;
import dev.extstorage.store.ExtensionUsage;
import dev.extstorage.store.KeyedPage;
import dev.extstorage.store.Namespace;
import dev.extstorage.store.PageSink;
import dev.extstorage.store.StoredEntry;
import dev.extstorage.store.UsageFigures;
import dev.extstorage.store.UserEntrySink;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@link DataLifecycle} of Redis. Keys are found with {@code SCAN ... MATCH ... COUNT} {@value DataLifecycle#BATCH}
 * (never {@code KEYS}), cursor by cursor, so no command blocks Redis for long; the pattern is the namespace's
 * literal key prefix with glob characters escaped ({@link ServerKeys#globLiteral}), and every key found is
 * checked again in Java by its parsed parts ({@link ServerKeys#parseEntryKey}), so neither a key nor a user id
 * holding {@code * ? [ ] \ :} can widen a walk to another namespace. Purges {@code UNLINK} (freed off Redis'
 * main thread) one {@code SCAN} step of keys at a time; a user's erasure removes key by key through the quota
 * script, so the counters stay right. A walk costs a pass over the deployment's key space (what {@code MATCH}
 * filters), in steps: fine for administration, listing and usage, not for a hot path.
 *
 * <p>On a Redis Cluster a {@code SCAN} walks one node. A walk within one extension (listing, usage, purge) has a
 * pattern that starts with the extension's literal prefix, hash tag included ({@link ServerKeys#hashTag}), and
 * Jedis sends it to the node owning that slot, which holds all of the extension's keys. A walk across
 * extensions (which extensions have data, one user's export and erasure) goes over every master in turn
 * ({@link UnifiedJedis#scanIteration}); on a single Redis both are the same walk.
 */
final class RedisLifecycle implements DataLifecycle {
    private final RedisEphemeralStore store;
    private final UnifiedJedis client;
    private final String prefix;

    RedisLifecycle(RedisEphemeralStore store, UnifiedJedis client, String prefix) {
        this.store = store;
        this.client = client;
        this.prefix = prefix;
    }

    @Override
    public void list(Namespace namespace, String keyPrefix, Paging paging, long maxPageBytes, PageSink sink) {
        String base = ServerKeys.scopePrefix(prefix, namespace.extension(), namespace.scope(), namespace.userId());
        TreeSet<String> keys = new TreeSet<>();
        scanSlot(ServerKeys.matchAllUnder(base + keyPrefix), found -> {
            for (String redisKey : found) {
                if (redisKey.startsWith(base) && KeyPrefixes.isUnder(keyPrefix, redisKey.substring(base.length()))) {
                    keys.add(redisKey.substring(base.length()));
                }
            }
        });
        KeyedPage.stream(new ArrayList<>(keys), paging, maxPageBytes,
                key -> {
                    long length = store.call("read from", () -> client.strlen(base + key));
                    if (length == 0) {
                        return -1L;
                    }
                    // the version header ({@link RedisEntries}) is not the value's: quotas do not count it
                    boolean header = "#".equals(store.call("read from", () -> client.getrange(base + key, 0, 0)));
                    return EntryCost.ofKey(key) + length - (header ? RedisEntries.HEADER_CHARS : 0);
                },
                key -> json(store.call("read from", () -> client.get(base + key))), sink);
    }

    @Override
    public ExtensionUsage usage(ExtensionId extension, String userIdOrNull) {
        String owner = userIdOrNull == null ? null : UserIds.storageForm(userIdOrNull);
        long[] entries = new long[3];
        scanSlot(ServerKeys.matchAllUnder(ServerKeys.extensionPrefix(prefix, extension)), found -> {
            for (String redisKey : found) {
                String[] parts = ServerKeys.parseEntryKey(prefix, redisKey);
                if (parts == null || !parts[0].equals(extension.id())) {
                    continue;
                }
                entries[0]++;
                if (parts[2] == null) {
                    entries[1]++;
                } else if (parts[2].equals(owner)) {
                    entries[2]++;
                }
            }
        });
        UsageFigures all = new UsageFigures(counted(ServerKeys.Counter.USAGE.extensionKey(prefix, extension)), entries[0]);
        UsageFigures shared = new UsageFigures(counted(ServerKeys.Counter.USAGE.namespaceKey(prefix, extension,
                Scope.SHARED, null)), entries[1]);
        UsageFigures user = userIdOrNull == null ? UsageFigures.NONE : new UsageFigures(counted(
                ServerKeys.Counter.USAGE.namespaceKey(prefix, extension, Scope.USER, userIdOrNull)), entries[2]);
        return new ExtensionUsage(all, shared, user);
    }

    private long counted(String usageKey) {
        String total = store.call("read from", () -> client.hget(usageKey, "total"));
        return total == null ? 0 : Long.parseLong(total);
    }

    @Override
    public List<String> extensionsWithData() {
        ServerKeys.Counter usage = ServerKeys.Counter.USAGE;
        TreeSet<String> ids = new TreeSet<>();
        scanAll(ServerKeys.matchAllUnder(usage.keysStart(prefix)), found -> {
            for (String key : found) {
                // an extension's own counter (namespace counters go on with ':s' or ':u:...')
                String id = ServerKeys.counterExtension(prefix, usage, key);
                if (id != null && isExtensionId(id)) {
                    ids.add(id);
                }
            }
        });
        return new ArrayList<>(ids);
    }

    private static boolean isExtensionId(String id) {
        try {
            ExtensionId.parse(id);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public long purge(ExtensionId extension) {
        long[] removed = new long[1];
        scanSlot(ServerKeys.matchAllUnder(ServerKeys.extensionPrefix(prefix, extension)), found -> {
            List<String> mine = new ArrayList<>();
            for (String key : found) {
                String[] parts = ServerKeys.parseEntryKey(prefix, key);
                if (parts != null && parts[0].equals(extension.id())) {
                    mine.add(key);
                }
            }
            removed[0] += unlink(mine);
        });
        // then the counters: the extension's own and those of its namespaces (its key then ':')
        for (ServerKeys.Counter counter : ServerKeys.Counter.values()) {
            String own = counter.extensionKey(prefix, extension);
            unlink(List.of(own));
            scanSlot(ServerKeys.matchAllUnder(own + ":"), found -> unlink(found));
        }
        return removed[0];
    }

    @Override
    public void exportUser(String userId, UserEntrySink sink) {
        forEachOfUser(userId, (redisKey, parts) -> {
            String json = json(store.call("read from", () -> client.get(redisKey)));
            Long at = store.call("read from", () -> client.pexpireTime(redisKey));
            if (json != null) {
                sink.entry(parts[0], null, parts[3], json, null, at == null || at < 0 ? null : at);
            }
        });
    }

    @Override
    public long eraseUser(String userId) {
        long[] removed = new long[1];
        forEachOfUser(userId, (redisKey, parts) -> {
            Namespace ns = Namespace.user(ExtensionId.parse(parts[0]), userId);
            List<String> keys = RedisQuotaScripts.keys(prefix, ns, redisKey);
            long fixed = EntryCost.ofKey(parts[3]);
            // unconditional: the script answers TRUE or FALSE, never a conflict
            Object outcome = store.call("delete from", () -> RedisQuotaScripts.remove(client, keys, fixed,
                    Precondition.NONE));
            if (Boolean.TRUE.equals(outcome)) {
                removed[0]++;
            }
        });
        return removed[0];
    }

    /** Every entry key of the user's user scopes, all extensions, with its parts. */
    private void forEachOfUser(String userId, BiConsumer<String, String[]> action) {
        String owner = UserIds.storageForm(userId);
        String pattern = ServerKeys.globLiteral(prefix + ":") + "*" + ServerKeys.globLiteral(":u:" + owner + ":") + "*";
        scanAll(pattern, found -> {
            for (String redisKey : found) {
                String[] parts = ServerKeys.parseEntryKey(prefix, redisKey);
                // the pattern's '*' may span ':' (a shared key holding ':u:<owner>:'): the parts decide
                if (parts != null && "u".equals(parts[1]) && owner.equals(parts[2]) && isExtensionId(parts[0])) {
                    action.accept(redisKey, parts);
                }
            }
        });
    }

    /** The JSON text of a stored Redis string (its version header removed), or {@code null}. */
    private static String json(String stored) {
        StoredEntry entry = RedisEntries.parse(stored);
        return entry == null ? null : entry.json();
    }

    private long unlink(List<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        String[] array = keys.toArray(new String[0]);
        return store.call("delete from", () -> client.unlink(array));
    }

    /**
     * Walks the keys matching {@code pattern}, one {@code SCAN} step at a time; on a cluster on the node owning
     * the pattern's hash tag, which it must hold.
     */
    private void scanSlot(String pattern, Consumer<List<String>> step) {
        ScanParams params = new ScanParams().match(pattern).count(BATCH);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            String at = cursor;
            ScanResult<String> page = store.call("read from", () -> client.scan(at, params));
            if (!page.getResult().isEmpty()) {
                step.accept(page.getResult());
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }

    /** Walks the keys matching {@code pattern} on every node (every master of a cluster), step by step. */
    private void scanAll(String pattern, Consumer<List<String>> step) {
        // a walk over no node at all would find nothing and say so: a cluster not reached yet must fail instead
        store.call("read from", () -> {
            RedisClients.knowNodes(client);
            return null;
        });
        ScanIteration walk = client.scanIteration(BATCH, pattern);
        while (!walk.isIterationCompleted()) {
            List<String> found = store.call("read from", walk::nextBatch).getResult();
            if (!found.isEmpty()) {
                step.accept(found);
            }
        }
    }
}
