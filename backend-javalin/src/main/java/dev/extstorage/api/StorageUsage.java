package dev.extstorage.api;

/** What one extension holds on both server tiers ({@code GET .../storage/usage}). */
public record StorageUsage(TierUsage persistent, TierUsage ephemeral) {
}
