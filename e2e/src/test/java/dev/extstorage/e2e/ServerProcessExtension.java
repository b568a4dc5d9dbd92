package dev.extstorage.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.util.Map;

/**
 * One real server process (the shipped jar with its JVM flags, Redis for the ephemeral tier) for the tests of
 * a class that also drive Chromium: started before the first test, stopped after the last. Register it as a
 * static field: {@code @RegisterExtension static final ServerProcessExtension server = new
 * ServerProcessExtension(Map.of())}.
 *
 * <p>When a part is missing ({@link TestEnvironment#require}), each test is skipped on its own, so the skips
 * show in the counts; under {@code CI=true} the class fails instead.
 */
final class ServerProcessExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final Map<String, String> env;
    private ServerProcess process;
    private String unavailable;

    /** @param env settings of the server beyond {@link ServerProcess}'s defaults */
    ServerProcessExtension(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        String redis;
        try {
            redis = TestEnvironment.require();
        } catch (TestAbortedException e) {
            unavailable = e.getMessage();
            return;
        }
        process = ServerProcess.start(redis, env);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(unavailable == null, unavailable);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }

    /** The running server. */
    ServerProcess process() {
        return process;
    }

    String baseUrl() {
        return process.baseUrl();
    }
}
