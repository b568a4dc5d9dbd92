package dev.extstorage.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.extstorage.model.ResourceRef;

import java.io.IOException;

/**
 * How responses name the resource of a resource entry (SPEC section 10), in change events and the export: the
 * member {@code "resource": {"type": ..., "uuid": ...}}, left out for plain entries. One form, so a listener and an
 * export reader tell the entries apart alike.
 */
final class ResourceJson {
    private ResourceJson() {
    }

    static void write(JsonGenerator g, ResourceRef resource) throws IOException {
        g.writeObjectFieldStart("resource");
        g.writeStringField("type", resource.type());
        g.writeStringField("uuid", resource.uuid());
        g.writeEndObject();
    }
}
