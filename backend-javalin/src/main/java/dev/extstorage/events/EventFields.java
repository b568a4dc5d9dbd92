package dev.extstorage.events;

import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Scope;
import dev.extstorage.model.Tier;

import java.util.HashMap;
import java.util.Map;

/**
 * An event as flat text fields, the form the shared engines store (Redis stream entry fields; the columns of
 * the PostgreSQL table have the same names). The value stays the exact text it was written as.
 */
final class EventFields {
    static final String EXTENSION = "ext";
    static final String TIER = "tier";
    static final String SCOPE = "scope";
    static final String OWNER = "owner";
    static final String KEY = "key";
    static final String VERSION = "version";
    static final String VALUE = "value";
    static final String DELETED = "deleted";
    static final String RESOURCE = "resource";
    /** The one field of a gap mark: events were lost at this place of the stream (see {@link AsyncPublisher}). */
    static final String GAP = "gap";
    private static final Map<String, String> GAP_MARK = Map.of(GAP, "1");

    private EventFields() {
    }

    static Map<String, String> of(ChangeEvent e) {
        if (e == AsyncPublisher.GAP) {
            return GAP_MARK;
        }
        Map<String, String> m = new HashMap<>();
        m.put(EXTENSION, e.extension().id());
        m.put(TIER, e.tier().wireName());
        m.put(SCOPE, e.scope().wireName());
        if (e.ownerId() != null) {
            m.put(OWNER, e.ownerId());
        }
        m.put(KEY, e.key());
        if (e.version() != null) {
            m.put(VERSION, e.version());
        }
        if (e.valueJson() != null) {
            m.put(VALUE, e.valueJson());
        }
        m.put(DELETED, e.deleted() ? "1" : "0");
        if (e.resource() != null) {
            m.put(RESOURCE, e.resource());
        }
        return m;
    }

    /** Whether the fields are a gap mark (earlier versions read it as no event, and skip it). */
    static boolean isGap(Map<String, String> m) {
        return "1".equals(m.get(GAP));
    }

    /** The event the fields describe, with {@code id}; {@code null} if they are not one (another writer's). */
    static ChangeEvent parse(Map<String, String> m, String id) {
        try {
            Tier tier = Tier.serverTierFromPath(m.get(TIER));
            Scope scope = Scope.SHARED.wireName().equals(m.get(SCOPE)) ? Scope.SHARED
                    : Scope.USER.wireName().equals(m.get(SCOPE)) ? Scope.USER : null;
            if (tier == null || scope == null) {
                return null;
            }
            return new ChangeEvent(ExtensionId.parse(m.get(EXTENSION)), tier, scope, m.get(OWNER), m.get(KEY),
                    m.get(VERSION), m.get(VALUE), "1".equals(m.get(DELETED)), id, m.get(RESOURCE));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
