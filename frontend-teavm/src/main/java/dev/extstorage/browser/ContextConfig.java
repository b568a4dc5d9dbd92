package dev.extstorage.browser;

import dev.extstorage.model.BrowserKeys;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.UserIds;

/**
 * The validated settings of one extension context: which extension, which user (or none), where the REST API
 * is, the browser key prefix, the {@code fetch} credentials mode and the limits arguments are checked against.
 */
final class ContextConfig {
    static final String DEFAULT_CREDENTIALS = "same-origin";

    final ExtensionId extension;
    /** {@code null} when no user is signed in: user-scoped operations then reject. */
    final String userId;
    final String apiBase;
    final String keyPrefix;
    final String credentials;
    /**
     * The TTL and value-size limits every tier checks before it writes: the server's, which the host may raise
     * above the contract's defaults. The local and session tiers use the same value limit, so a value fits
     * every tier or none.
     */
    final Limits limits;

    private ContextConfig(ExtensionId extension, String userId, String apiBase, String keyPrefix,
            String credentials, Limits limits) {
        this.extension = extension;
        this.userId = userId;
        this.apiBase = apiBase;
        this.keyPrefix = keyPrefix;
        this.credentials = credentials;
        this.limits = limits;
    }

    /**
     * The host's {@code limits} option as {@link Limits} with the default quota (which only the server
     * enforces); pass {@link Limits#DEFAULT_MAX_TTL_SECONDS} / {@link Limits#DEFAULT_MAX_VALUE_BYTES} for an
     * absent member.
     *
     * @throws InvalidOptionsException unless both are integers from 1 to 2<sup>53</sup> - 1
     */
    static Limits limits(double maxTtlSeconds, double maxValueBytes) {
        return new Limits(positive("maxTtlSeconds", maxTtlSeconds), positive("maxValueBytes", maxValueBytes),
                Limits.DEFAULT_QUOTA_BYTES);
    }

    // beyond 2^53 - 1 a JavaScript number no longer holds every integer, so such a limit would not be exact
    private static long positive(String name, double n) {
        if (!(n >= 1 && n <= 9007199254740991.0 && n == Math.floor(n))) {
            throw new InvalidOptionsException("limits." + name + " must be a positive integer");
        }
        return (long) n;
    }

    /**
     * Validates host options; {@code null} for {@code apiBase}, {@code keyPrefix} or {@code credentials} means
     * the default ({@code ""}, {@value BrowserKeys#DEFAULT_PREFIX}, {@value #DEFAULT_CREDENTIALS}).
     *
     * @param limits from {@link #limits}, or {@link Limits#defaults()}
     * @throws InvalidOptionsException naming the first bad option
     */
    static ContextConfig of(String publisher, String name, String userId, String apiBase, String keyPrefix,
            String credentials, Limits limits) {
        if (!ExtensionId.isValidPart(publisher) || !ExtensionId.isValidPart(name)) {
            throw new InvalidOptionsException("publisher and name must each be 1-" + ExtensionId.MAX_PART_LENGTH
                    + " characters of a-z 0-9 - _ starting with a letter or digit");
        }
        if (userId != null) {
            String problem = UserIds.problem(userId);
            if (problem != null) {
                throw new InvalidOptionsException(problem);
            }
        }
        String prefix = keyPrefix == null ? BrowserKeys.DEFAULT_PREFIX : keyPrefix;
        String prefixProblem = BrowserKeys.prefixProblem(prefix);
        if (prefixProblem != null) {
            throw new InvalidOptionsException(prefixProblem);
        }
        String mode = credentials == null ? DEFAULT_CREDENTIALS : credentials;
        if (!mode.equals("same-origin") && !mode.equals("include") && !mode.equals("omit")) {
            throw new InvalidOptionsException("credentials must be 'same-origin', 'include' or 'omit'");
        }
        return new ContextConfig(ExtensionId.of(publisher, name), userId, apiBase == null ? "" : apiBase, prefix,
                mode, limits);
    }
}
