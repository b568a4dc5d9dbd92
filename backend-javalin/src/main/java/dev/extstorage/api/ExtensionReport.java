package dev.extstorage.api;

/**
 * One extension holding server data, with its usage ({@code user...} figures zero: no user is asked about).
 *
 * @param extension {@code publisher.name}
 * @param installed whether it is installed now (data of an uninstalled one stays until purged)
 * @param secrets   how many server-only secrets it has, all scopes and users (counted in no usage figure)
 */
public record ExtensionReport(String extension, boolean installed, StorageUsage usage, long secrets) {
}
