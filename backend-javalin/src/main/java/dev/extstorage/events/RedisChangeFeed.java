package dev.extstorage.events;

import dev.extstorage.store.redis.RedisClients;
import dev.extstorage.store.redis.RedisTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The feed of instances that share Redis: one Redis Stream, {@code <prefix>:events}. A publish is one
 * {@code XADD ... MAXLEN ~ retention}; each instance reads the stream with one thread in {@code XREAD BLOCK}
 * and dispatches what it reads. A stream rather than {@code PUBLISH}: its entry ids are the event ids, the
 * stream is the bounded history that resumption reads ({@code XRANGE}), and a reader that lost its connection
 * goes on from the id it read last instead of missing what was published meanwhile. Resumption is safe:
 * {@code XINFO STREAM} tells whether entries were ever trimmed ({@code entries-added}, Redis 7) and the
 * first one left; a position before it resets.
 *
 * <p>On a Redis Cluster ({@code redis-cluster://}) the same: the stream is one key, and every command on it
 * ({@code XADD}, {@code XREAD}, {@code XRANGE}, {@code XINFO}) names that key alone, so the cluster client sends
 * it to the node owning the key's slot, the blocking read included (on a connection of that node's pool, whose
 * socket time-out outlasts the block). No hash tag is needed for one key.
 */
public final class RedisChangeFeed extends DispatchingFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChangeFeed.class);
    private static final int BLOCK_MS = 1000;
    private static final int READ_COUNT = 500;
    private static final int MAX_BACKOFF_MS = 5000;

    private final String key;
    private final int retention;
    private final UnifiedJedis client;
    private final UnifiedJedis reader;
    private final Thread readerThread;
    private EventId readPosition;

    /**
     * @param redisUrl  the Redis URL (as the ephemeral store's)
     * @param prefix    the deployment's key prefix
     * @param retention about how many events the stream keeps (trimmed approximately, never below this)
     */
    public RedisChangeFeed(String redisUrl, String prefix, int retention) {
        this(RedisClients.parse(redisUrl), prefix + ":events", retention, startPosition(redisUrl, prefix + ":events"));
    }

    private RedisChangeFeed(RedisTarget target, String key, int retention, EventId start) {
        super(start);
        this.key = key;
        this.retention = retention;
        // as many connections as the store has (every write publishes); short time-outs: a publish runs inside
        // a write, which must not wait long on a Redis that is down
        this.client = RedisClients.open(target, "ext-storage-events", 32, 500, 1000, 500);
        // its own connection: XREAD BLOCK holds it for up to BLOCK_MS at a time
        this.reader = RedisClients.open(target, "ext-storage-events-reader", 1, 2000, BLOCK_MS + 3000, 2000);
        this.readPosition = start;
        this.readerThread = new Thread(this::readLoop, "ext-storage-events-redis");
        readerThread.setDaemon(true);
        readerThread.start();
    }

    /** The stream's last id now, so this instance dispatches what comes after it; 0-0 if it cannot tell. */
    private static EventId startPosition(String redisUrl, String key) {
        try (UnifiedJedis c = RedisClients.open(RedisClients.parse(redisUrl), "ext-storage-events", 1, 2000, 2000,
                2000)) {
            EventId last = lastGenerated(c, key);
            return last == null ? EventId.ZERO : last;
        } catch (RuntimeException e) {
            LOG.warn("Redis cannot be reached now; change events start when it can: {}", e.toString());
            return EventId.ZERO;
        }
    }

    @Override
    public String engine() {
        return "redis";
    }

    @Override
    void append(ChangeEvent event) {
        client.xadd(key, XAddParams.xAddParams().maxLen(retention).approximateTrimming(), EventFields.of(event));
    }

    @Override
    List<ChangeEvent> history(EventId after) {
        if (!client.exists(key)) {
            return after.equals(EventId.ZERO) ? List.of() : null;
        }
        StreamInfo info = client.xinfoStream(key);
        EventId last = EventId.parse(String.valueOf(info.getLastGeneratedId()));
        if (last == null || after.isAfter(last)) {
            return null;
        }
        if (after.equals(last)) {
            return List.of();
        }
        // trimming (MAXLEN ~) removes the oldest entries: unless none was ever removed (entries-added ==
        // length), the position must not be older than the first entry still there
        Object added = info.getStreamInfo().get("entries-added");
        boolean neverTrimmed = added != null && text(added).equals(String.valueOf(info.getLength()));
        EventId first = info.getFirstEntry() == null ? null
                : EventId.parse(info.getFirstEntry().getID().toString());
        if (!neverTrimmed && (first == null || after.compareTo(first) < 0)) {
            return null;
        }
        List<ChangeEvent> events = new ArrayList<>();
        String from = "(" + after;
        while (true) {
            List<StreamEntry> page = client.xrange(key, from, "+", READ_COUNT);
            for (StreamEntry entry : page) {
                ChangeEvent e = EventFields.parse(entry.getFields(), entry.getID().toString());
                if (e != null) {
                    events.add(e);
                }
            }
            if (page.size() < READ_COUNT) {
                return events;
            }
            if (events.size() > retention * 2L) {
                return null;   // far more than retained (trimming is approximate): a part would lose the rest
            }
            from = "(" + page.get(page.size() - 1).getID();
        }
    }

    private void readLoop() {
        int backoff = 100;
        boolean failing = false;
        while (!isClosed()) {
            try {
                List<Map.Entry<String, List<StreamEntry>>> read = reader.xread(
                        XReadParams.xReadParams().block(BLOCK_MS).count(READ_COUNT),
                        Map.of(key, new StreamEntryID(readPosition.major(), readPosition.minor())));
                if (failing) {
                    failing = false;
                    backoff = 100;
                    // events published while we could not read may already be trimmed: say so
                    if (history(readPosition) == null) {
                        dispatchReset();
                    }
                }
                if (read == null) {
                    continue;
                }
                for (Map.Entry<String, List<StreamEntry>> stream : read) {
                    for (StreamEntry entry : stream.getValue()) {
                        readPosition = new EventId(entry.getID().getTime(), entry.getID().getSequence());
                        ChangeEvent e = EventFields.parse(entry.getFields(), readPosition.toString());
                        if (e != null) {
                            dispatch(e);
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (isClosed()) {
                    return;
                }
                if (!failing) {
                    LOG.warn("Reading change events from Redis failed; retrying with back-off: {}", e.toString());
                }
                failing = true;
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    private static EventId lastGenerated(UnifiedJedis c, String key) {
        if (!c.exists(key)) {
            return null;
        }
        return EventId.parse(String.valueOf(c.xinfoStream(key).getLastGeneratedId()));
    }

    private static String text(Object o) {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return o == null ? null : o.toString();
    }

    @Override
    public void close() {
        super.close();
        stop(readerThread, BLOCK_MS + 1000);
        client.close();
        reader.close();
    }
}
