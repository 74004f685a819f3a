package ocgnet.testserver;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.UserAggregationFunction;
import org.neo4j.procedure.UserFunction;

/**
 * Test-only Neo4j 5.26 server with the open Graph Data Science procedures.
 *
 * <p>Protocol with the parent process (test/neo4j/server.ts):
 * <ul>
 *   <li>stdout carries exactly one line, {@code OCGNET_NEO4J_BOLT bolt://127.0.0.1:<port>}, once Bolt
 *       accepts connections and GDS is registered; everything else goes to stderr.</li>
 *   <li>the server runs until stdin reaches end of file (the parent closed it or died) or the JVM gets
 *       SIGTERM/SIGINT, then shuts down and exits.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp ... ocgnet.testserver.Main [dataDir]}. Without dataDir a temporary directory
 * is used. Either way Neo4j works in a fresh sub-directory, which is deleted on shutdown.
 */
public final class Main {
    private static final String READY_PREFIX = "OCGNET_NEO4J_BOLT ";

    private static final Object LOCK = new Object();
    private static Neo4j server;
    private static boolean stopped;
    private static Path ownedTempDir;

    private Main() {}

    public static void main(String[] args) throws Exception {
        // Keep stdout for the single protocol line; anything else printing to System.out goes to stderr.
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);

        Runtime.getRuntime().addShutdownHook(new Thread(Main::shutdown, "ocgnet-neo4j-shutdown"));

        try {
            Path base;
            if (args.length > 0 && !args[0].isBlank()) {
                base = Path.of(args[0]).toAbsolutePath();
                Files.createDirectories(base);
            } else {
                base = Files.createTempDirectory("ocgnet-neo4j-");
                ownedTempDir = base;
            }
            long pageCache = parseBytes(System.getProperty("ocgnet.neo4j.pagecache", "256m"));
            log("working directory " + base + ", page cache " + pageCache + " bytes");

            Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(base)
                    .withDisabledServer() // no HTTP/HTTPS: Bolt only
                    .withConfig(BoltConnector.enabled, true)
                    .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                    .withConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", 0))
                    .withConfig(GraphDatabaseSettings.auth_enabled, false)
                    .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"))
                    .withConfig(GraphDatabaseSettings.procedure_allowlist, List.of("*"))
                    .withConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                    .withConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                    // A test server has no clients to be gentle with: don't idle seconds in Netty's
                    // graceful-shutdown quiet period (per event loop group) when stopping.
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                    .withConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(5));

            long t0 = System.nanoTime();
            int[] counts = registerGdsCallables(builder);
            log(String.format("registered %d procedure, %d function and %d aggregation classes from the GDS jars in %d ms",
                    counts[0], counts[1], counts[2], (System.nanoTime() - t0) / 1_000_000));
            if (counts[0] == 0) {
                throw new IllegalStateException("no GDS procedure classes found on the classpath");
            }

            t0 = System.nanoTime();
            Neo4j started = builder.build();
            synchronized (LOCK) {
                server = started;
                if (stopped) { // SIGTERM arrived while starting
                    started.close();
                    return;
                }
            }
            log("Neo4j started in " + (System.nanoTime() - t0) / 1_000_000 + " ms; bolt " + started.boltURI());

            // Self-check: GDS must answer before we claim to be ready.
            String gdsVersion = started.defaultDatabaseService().executeTransactionally(
                    "CALL gds.version() YIELD gdsVersion RETURN gdsVersion", java.util.Map.of(),
                    r -> String.valueOf(r.next().get("gdsVersion")));
            log("gds.version() = " + gdsVersion);

            int port = started.boltURI().getPort();
            protocol.println(READY_PREFIX + "bolt://127.0.0.1:" + port);
            protocol.flush();
        } catch (Throwable e) {
            System.err.println("[ocgnet-neo4j] startup failed:");
            e.printStackTrace(System.err);
            shutdown();
            System.exit(1);
            return;
        }

        waitForEndOfInput(System.in);
        log("stdin closed; shutting down");
        shutdown();
        System.exit(0);
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // ignore anything the parent writes; only end of file matters
            }
        } catch (IOException e) {
            log("stdin read failed (" + e + "); shutting down");
        }
    }

    private static void shutdown() {
        Neo4j toClose;
        synchronized (LOCK) {
            if (stopped) {
                return;
            }
            stopped = true;
            toClose = server;
        }
        // Never hang forever on shutdown: the parent SIGKILLs after 30 s, but be safe on our own too.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(25_000);
                System.err.println("[ocgnet-neo4j] shutdown took too long; halting");
                Runtime.getRuntime().halt(2);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        }, "ocgnet-neo4j-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            if (toClose != null) {
                toClose.close();
                log("Neo4j stopped");
            }
        } catch (Throwable e) {
            System.err.println("[ocgnet-neo4j] error during shutdown: " + e);
        }
        if (ownedTempDir != null) {
            deleteQuietly(ownedTempDir.toFile());
        }
        watchdog.interrupt();
    }

    /**
     * Registers every class in the GDS jars that declares a {@code @Procedure}, {@code @UserFunction} or
     * {@code @UserAggregationFunction} method. The GDS extension factories (which provide the components
     * that those procedures get injected) are found by Neo4j itself through META-INF/services.
     */
    private static int[] registerGdsCallables(Neo4jBuilder builder) throws IOException {
        List<Class<?>> procedures = new ArrayList<>();
        List<Class<?>> functions = new ArrayList<>();
        List<Class<?>> aggregations = new ArrayList<>();
        ClassLoader loader = Main.class.getClassLoader();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String normalised = entry.replace('\\', '/');
            if (!normalised.endsWith(".jar") || !normalised.contains("/org/neo4j/gds/")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (!name.endsWith(".class") || name.contains("module-info") || name.startsWith("META-INF/")) {
                        continue;
                    }
                    String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                    Class<?> cls;
                    Method[] methods;
                    try {
                        cls = Class.forName(className, false, loader);
                        if (cls.isInterface() || java.lang.reflect.Modifier.isAbstract(cls.getModifiers())) {
                            continue;
                        }
                        methods = cls.getDeclaredMethods();
                    } catch (Throwable e) { // optional dependency missing, etc.: not a callable we need
                        continue;
                    }
                    boolean proc = false;
                    boolean func = false;
                    boolean agg = false;
                    for (Method m : methods) {
                        proc |= m.isAnnotationPresent(Procedure.class);
                        func |= m.isAnnotationPresent(UserFunction.class);
                        agg |= m.isAnnotationPresent(UserAggregationFunction.class);
                    }
                    if (proc) procedures.add(cls);
                    if (func) functions.add(cls);
                    if (agg) aggregations.add(cls);
                }
            }
        }
        procedures.forEach(builder::withProcedure);
        functions.forEach(builder::withFunction);
        aggregations.forEach(builder::withAggregationFunction);
        return new int[] {procedures.size(), functions.size(), aggregations.size()};
    }

    private static long parseBytes(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) unit = 1L << 10;
        else if (t.endsWith("m")) unit = 1L << 20;
        else if (t.endsWith("g")) unit = 1L << 30;
        if (unit != 1) t = t.substring(0, t.length() - 1);
        return Long.parseLong(t) * unit;
    }

    private static void deleteQuietly(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteQuietly(c);
            }
        }
        if (!f.delete() && f.exists()) {
            System.err.println("[ocgnet-neo4j] could not delete " + f);
        }
    }

    private static void log(String message) {
        System.err.println("[ocgnet-neo4j] " + message);
    }
}
