package dev.extstorage.store;

/**
 * What one extension holds on one tier: in all, in its shared scope, and in one user's user scope.
 *
 * @param user zeros when no user was asked for
 */
public record ExtensionUsage(UsageFigures extension, UsageFigures shared, UsageFigures user) {
}
