package dev.extstorage.browser;

import dev.extstorage.model.BrowserKeys;
import dev.extstorage.model.ExtensionId;
import dev.extstorage.model.Limits;
import dev.extstorage.model.UserIds;

/**
 * The validated settings of one extension context: which extension, which user (or none), where the REST API
 * is, the browser key prefix and the {@code fetch} credentials mode.
 */
final class ContextConfig {
    static final String DEFAULT_CREDENTIALS = "same-origin";

    final ExtensionId extension;
    /** {@code null} when no user is signed in: user-scoped operations then reject. */
    final String userId;
    final String apiBase;
    final String keyPrefix;
    final String credentials;
    final Limits limits = Limits.defaults();

    private ContextConfig(ExtensionId extension, String userId, String apiBase, String keyPrefix,
            String credentials) {
        this.extension = extension;
        this.userId = userId;
        this.apiBase = apiBase;
        this.keyPrefix = keyPrefix;
        this.credentials = credentials;
    }

    /**
     * Validates host options; {@code null} for {@code apiBase}, {@code keyPrefix} or {@code credentials} means
     * the default ({@code ""}, {@value BrowserKeys#DEFAULT_PREFIX}, {@value #DEFAULT_CREDENTIALS}).
     *
     * @throws InvalidOptionsException naming the first bad option
     */
    static ContextConfig of(String publisher, String name, String userId, String apiBase, String keyPrefix,
            String credentials) {
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
                mode);
    }
}
