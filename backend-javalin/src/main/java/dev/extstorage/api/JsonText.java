package dev.extstorage.api;

/**
 * A value's compact JSON text that has been parsed and checked by the value rule, so stores can keep it
 * as it is. Only this package makes them (from a {@link PutBody} or {@link JsonCodec#encode}), so text that
 * is not JSON can never reach a store.
 */
public final class JsonText {
    private final String json;

    JsonText(String json) {
        this.json = json;
    }

    @Override
    public String toString() {
        return json;
    }
}
