package dev.extstorage.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The condition of a conditional write (SPEC section 8): none (last writer wins), "only while the entry has one
 * of these versions", "only while an entry exists", or "only while the key is absent". A store checks it
 * atomically with the write; when it does not hold, the write changes nothing and fails with
 * {@link ErrorCode#PRECONDITION_FAILED}, carrying the current version ({@link StorageException#version()}).
 *
 * <p>Versions are opaque strings of ASCII letters and digits, at most {@value #MAX_VERSION_LENGTH} characters
 * (every engine hands out only such versions). A version given here that is not of that form can never be
 * current, so it is dropped: a condition left with no version matches nothing and always fails. That keeps
 * every engine's check a plain comparison, whatever text a caller passes.
 */
public final class Precondition {
    /** The most characters a version may have. */
    public static final int MAX_VERSION_LENGTH = 64;

    /** What a precondition requires of the entry's current state. */
    public enum Kind {
        /** Nothing: the write happens whatever is stored. */
        NONE,
        /** The entry exists and its version is one of {@link #versions()}. */
        VERSION,
        /** An entry exists, whatever its version ({@code If-Match: *}). */
        PRESENT,
        /** No entry exists ({@code If-None-Match: *}). */
        ABSENT
    }

    /** No condition: last writer wins. */
    public static final Precondition NONE = new Precondition(Kind.NONE, Collections.emptyList());
    private static final Precondition PRESENT = new Precondition(Kind.PRESENT, Collections.emptyList());
    private static final Precondition ABSENT = new Precondition(Kind.ABSENT, Collections.emptyList());

    private final Kind kind;
    private final List<String> versions;

    private Precondition(Kind kind, List<String> versions) {
        this.kind = kind;
        this.versions = versions;
    }

    /** Only while the entry has {@code version}; {@code null} means "only while absent" (the browser's rule). */
    public static Precondition ifVersion(String version) {
        if (version == null) {
            return ABSENT;
        }
        return ifVersionIn(Collections.singletonList(version));
    }

    /** Only while the entry has one of {@code versions} (an {@code If-Match} list); none: matches nothing. */
    public static Precondition ifVersionIn(Collection<String> versions) {
        List<String> kept = new ArrayList<>();
        for (String v : versions) {
            if (isWellFormed(v) && !kept.contains(v)) {
                kept.add(v);
            }
        }
        return new Precondition(Kind.VERSION, Collections.unmodifiableList(kept));
    }

    /** Only while an entry exists, whatever its version. */
    public static Precondition ifPresent() {
        return PRESENT;
    }

    /** Only while no entry exists. */
    public static Precondition ifAbsent() {
        return ABSENT;
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#VERSION}: the versions that satisfy it, all well-formed; empty for the other kinds. */
    public List<String> versions() {
        return versions;
    }

    /** Whether the condition holds for an entry whose current version is {@code current} ({@code null}: absent). */
    public boolean holds(String current) {
        switch (kind) {
            case NONE:
                return true;
            case PRESENT:
                return current != null;
            case ABSENT:
                return current == null;
            default:
                return current != null && versions.contains(current);
        }
    }

    /**
     * Whether {@code v} has the form of a version: 1 to {@value #MAX_VERSION_LENGTH} ASCII letters and digits.
     */
    public static boolean isWellFormed(String v) {
        if (v == null || v.isEmpty() || v.length() > MAX_VERSION_LENGTH) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /** The failure of this condition, the entry's current version being {@code current} ({@code null}: absent). */
    public StorageException failure(String current) {
        String message;
        switch (kind) {
            case ABSENT:
                message = "The key already has a value (version " + current + ")";
                break;
            case PRESENT:
                message = "The key has no value";
                break;
            default:
                message = current == null ? "The key has no value, so not the version required"
                        : "The value has changed: its version is " + current;
        }
        return StorageException.preconditionFailed(message, current);
    }

    @Override
    public String toString() {
        return kind == Kind.VERSION ? "ifVersion" + versions : kind.name();
    }
}
