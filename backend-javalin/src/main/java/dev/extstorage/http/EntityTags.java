package dev.extstorage.http;

import dev.extstorage.model.ErrorCode;
import dev.extstorage.model.Precondition;
import dev.extstorage.model.StorageException;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/**
 * Versions over HTTP (SPEC section 8, RFC 9110 section 13): an entry's version is its strong entity tag
 * {@code "<version>"} ({@code ETag} of GET, HEAD and PUT), and a write's {@code If-Match} / {@code If-None-Match}
 * become its {@link Precondition}:
 * <ul>
 *   <li>{@code If-Match: *}: only while an entry exists; {@code If-Match: "a", "b"}: only while its version is
 *       one of them. Comparison is strong: a weak tag ({@code W/"a"}) never matches, and neither does an element
 *       that is not a quoted tag (a malformed header matches nothing, so the write fails 412 and changes
 *       nothing: a condition that cannot be read is never taken as no condition).</li>
 *   <li>{@code If-None-Match: *}: only while the key is absent. Any other {@code If-None-Match} on a write,
 *       or both headers together, is refused {@code 400 INVALID_BODY}: the API offers no other form, and
 *       ignoring a condition the client relies on would be worse.</li>
 * </ul>
 */
final class EntityTags {
    static final String IF_MATCH = "If-Match";
    static final String IF_NONE_MATCH = "If-None-Match";
    static final String ETAG = "ETag";

    private EntityTags() {
    }

    /** Sets the {@code ETag} header to {@code version}'s strong tag. */
    static void send(Context ctx, String version) {
        ctx.header(ETAG, '"' + version + '"');
    }

    /**
     * Whether a read's answer is {@code 304 Not Modified}: its {@code If-None-Match} is exactly the {@code ETag} the
     * handler set, the rule by which Javalin answers a result set with {@code ctx.result}.
     */
    static boolean notModified(Context ctx) {
        String tag = ctx.res().getHeader(ETAG);
        return tag != null && tag.equals(ctx.req().getHeader(IF_NONE_MATCH));
    }

    /** The precondition a write's headers state; {@link Precondition#NONE} when it has none. */
    static Precondition precondition(Context ctx) {
        return precondition(ctx.header(IF_MATCH), ctx.header(IF_NONE_MATCH));
    }

    static Precondition precondition(String ifMatch, String ifNoneMatch) {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new StorageException(ErrorCode.INVALID_BODY, "Send If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.strip().equals("*")) {
                throw new StorageException(ErrorCode.INVALID_BODY,
                        "If-None-Match on a write must be *: write only while the key is absent");
            }
            return Precondition.ifAbsent();
        }
        if (ifMatch == null) {
            return Precondition.NONE;
        }
        if (ifMatch.strip().equals("*")) {
            return Precondition.ifPresent();
        }
        return Precondition.ifVersionIn(strongTags(ifMatch));
    }

    /**
     * The opaque parts of the strong entity tags of a comma-separated list ({@code "a", W/"b", "c"} gives
     * {@code a, c}); weak tags and malformed elements are left out. A malformed element ends the list: what
     * follows it cannot be told apart reliably.
     */
    static List<String> strongTags(String header) {
        List<String> tags = new ArrayList<>();
        int i = 0;
        int n = header.length();
        while (i < n) {
            char c = header.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            boolean weak = false;
            if (c == 'W' && i + 1 < n && header.charAt(i + 1) == '/') {
                weak = true;
                i += 2;
            }
            if (i >= n || header.charAt(i) != '"') {
                break;
            }
            int close = header.indexOf('"', i + 1);
            if (close < 0) {
                break;
            }
            if (!weak) {
                tags.add(header.substring(i + 1, close));
            }
            i = close + 1;
        }
        return tags;
    }
}
