package dev.extstorage.http;

import dev.extstorage.api.BatchBody;
import dev.extstorage.api.BatchEntry;
import dev.extstorage.api.Entry;
import dev.extstorage.api.ExtensionStorage;
import dev.extstorage.api.StorageService;
import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.ResourceRef;
import dev.extstorage.model.Scope;
import dev.extstorage.model.StorageException;
import dev.extstorage.model.StorageKeys;
import dev.extstorage.model.StoredValues;
import dev.extstorage.model.Tier;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/extensions/{p}/{n}/storage/{tier}}: a batch of gets, sets or removes ({@link BatchBody}) in
 * one request and one round trip to the store, a thin layer over the Java API's {@code getEntries},
 * {@code setManyJson} and {@code removeMany}. POST on the tier itself can never be a key's route (a key's is
 * {@code .../{tier}/{key}}, and no key route takes POST), whatever the keys. Scope and resource are chosen as
 * for the single routes ({@code ?shared=true}, {@code resource_type}/{@code resource_uuid}). Entries are
 * checked in order, each as its single PUT would be (key, TTL, value), then the batch's rules (at most 100 keys,
 * none twice, the values together within the value limit). A batch is one request to the rate limit; its body
 * is bounded and takes room in the admission budget as it arrives, like a PUT's. The answer of a get batch is
 * bounded like a listing page ({@code PAGE_TOO_LARGE} above the listing limit).
 */
final class BatchHandler {
    private final StorageService service;
    private final long minBodyBytesPerSecond;

    BatchHandler(StorageService service, long minBodyBytesPerSecond) {
        this.service = service;
        this.minBodyBytesPerSecond = minBodyBytesPerSecond;
    }

    void handle(Context ctx) {
        Tier tier = StorageHandlers.tier(ctx);
        ExtensionStorage storage = StorageHandlers.storage(service, ctx, RequestGuard.principal(ctx));
        Scope scope = StorageHandlers.scope(ctx);
        ResourceRef resource = StorageHandlers.resource(ctx, tier);
        RequestBodies.requireJson(ctx);
        long maxValue = service.limits().maxValueBytes();
        BatchBody body = BatchBody.read(RequestBodies.stream(ctx, service.limits().maxBodyBytes(),
                minBodyBytesPerSecond, maxValue,
                bytes -> RequestGuard.holdMore(ctx, RequestGuard.COPIES_OF_A_VALUE * bytes)), maxValue);
        boolean ephemeral = tier == Tier.EPHEMERAL;
        switch (body.op()) {
            case GET -> answerEntries(ctx, ephemeral ? StorageHandlers.ephemeral(storage, scope).getEntries(body.keys())
                    : StorageHandlers.persistent(storage, scope, resource).getEntries(body.keys()));
            case SET -> {
                List<BatchEntry> entries = entries(body, ephemeral);
                List<String> versions = ephemeral ? StorageHandlers.ephemeral(storage, scope).setManyJson(entries)
                        : StorageHandlers.persistent(storage, scope, resource).setManyJson(entries);
                StringBuilder out = new StringBuilder("{\"message\":\"Values stored successfully\",\"results\":[");
                for (int i = 0; i < entries.size(); i++) {
                    out.append(i == 0 ? "" : ",").append("{\"key\":").append(JsonResponses.quote(entries.get(i).key()))
                            .append(",\"version\":").append(JsonResponses.quote(versions.get(i))).append('}');
                }
                JsonResponses.sendRaw(ctx, 200, out.append("]}").toString());
            }
            case REMOVE -> {
                Map<String, Boolean> removed = ephemeral ? StorageHandlers.ephemeral(storage, scope).removeMany(body.keys())
                        : StorageHandlers.persistent(storage, scope, resource).removeMany(body.keys());
                StringBuilder out = new StringBuilder("{\"message\":\"Values deleted successfully\",\"results\":[");
                String sep = "";
                for (Map.Entry<String, Boolean> e : removed.entrySet()) {
                    out.append(sep).append("{\"key\":").append(JsonResponses.quote(e.getKey())).append(",\"removed\":")
                            .append(e.getValue()).append('}');
                    sep = ",";
                }
                JsonResponses.sendRaw(ctx, 200, out.append("]}").toString());
            }
        }
    }

    /** The entries of a set batch, each checked in the order of a single PUT: key, TTL, value. */
    private List<BatchEntry> entries(BatchBody body, boolean ephemeral) {
        List<BatchEntry> entries = new ArrayList<>(body.entries().size());
        for (BatchBody.Item item : body.entries()) {
            if (item.key() == null) {
                throw new StorageException(ErrorCode.INVALID_KEY, "Every entry of a batch needs 'key'");
            }
            StorageKeys.requireValid(item.key());
            long ttl = ephemeral ? StorageHandlers.ttlOf(item.body()) : 0;
            entries.add(new BatchEntry(item.key(), item.body().value(), ttl, item.condition(), item.body().encrypt()));
        }
        return entries;
    }

    /**
     * {@code {"results": [{"key", "value", "version"?, "isBinary"?}, ..]}} in the order asked, a missing key's
     * value {@code null} (and no version).
     */
    private void answerEntries(Context ctx, Map<String, Entry> found) {
        long chars = 0;
        for (Entry e : found.values()) {
            chars += e == null ? 0 : e.json().length();
        }
        if (chars > service.maxListBytes()) {
            throw new StorageException(ErrorCode.PAGE_TOO_LARGE, "The values asked for take " + chars
                    + " characters, above the limit of " + service.maxListBytes() + " for one answer; ask for fewer",
                    service.maxListBytes(), chars);
        }
        if (chars > Admission.LIGHT_BYTES) {
            // the values are read; writing them out holds them (and their encoding) a while longer
            RequestGuard.holdMore(ctx, 2 * chars);
        }
        StringBuilder out = new StringBuilder("{\"results\":[");
        String sep = "";
        for (Map.Entry<String, Entry> e : found.entrySet()) {
            out.append(sep).append("{\"key\":").append(JsonResponses.quote(e.getKey())).append(",\"value\":");
            sep = ",";
            Entry entry = e.getValue();
            if (entry == null) {
                out.append("null}");
                continue;
            }
            out.append(JsonResponses.answerValue(entry.json())).append(",\"version\":")
                    .append(JsonResponses.quote(entry.version()))
                    .append(StoredValues.isBinary(entry.json()) ? ",\"isBinary\":true}" : "}");
        }
        JsonResponses.sendRaw(ctx, 200, out.append("]}").toString());
    }
}
