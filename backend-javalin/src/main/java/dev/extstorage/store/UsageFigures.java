package dev.extstorage.store;

/** Bytes (as quotas count them, {@link EntryCost}) and entries of some part of a tier. */
public record UsageFigures(long bytes, long entries) {
    public static final UsageFigures NONE = new UsageFigures(0, 0);
}
