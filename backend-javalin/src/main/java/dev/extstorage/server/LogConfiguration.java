package dev.extstorage.server;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The server's logging, set up in code (found by Logback through {@code META-INF/services}), which starts about
 * a tenth of a second sooner than the same set-up read from XML: one line per event, {@code key=value}, to stdout,
 * what a log shipper expects; never values or tokens. Request threads hand events to one writer thread instead of
 * each waiting on stdout; when its queue is 80 % full INFO events are dropped rather than slowing requests, WARN
 * and ERROR never are. The queue is flushed on exit. The root level is {@code EXT_STORAGE_LOG_LEVEL} (INFO);
 * Jetty, Javalin, HikariCP and Flyway log from WARN. A file named by {@code -Dlogback.configurationFile} replaces
 * all of this.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    static final String LEVEL = "EXT_STORAGE_LOG_LEVEL";
    private static final int QUEUE_SIZE = 8192;
    private static final String[] QUIET = {"org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} level=%level logger=%logger{20} %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(encoder);
        stdout.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(QUEUE_SIZE);
        async.addAppender(stdout);
        async.start();
        for (String name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv(LEVEL), Level.INFO));
        root.addAppender(async);
        DefaultShutdownHook flush = new DefaultShutdownHook();
        flush.setContext(context);
        Runtime.getRuntime().addShutdownHook(new Thread(flush, "log-flush"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
