package catalogstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts an embedded Neo4j community DBMS with the Bolt connector on 127.0.0.1 and auth disabled.
 *
 * System properties: stack.neo4j.home (required), stack.neo4j.host (127.0.0.1), stack.neo4j.bolt.port (7687),
 * stack.neo4j.pagecache (e.g. 256m), stack.pidfile and stack.readyfile (optional; written by this process, the
 * ready file once the default database is available, removed again on shutdown).
 */
public final class Neo4jLauncher {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(required("stack.neo4j.home")).toAbsolutePath();
        String host = System.getProperty("stack.neo4j.host", "127.0.0.1");
        int port = Integer.parseInt(System.getProperty("stack.neo4j.bolt.port", "7687"));
        String pageCache = System.getProperty("stack.neo4j.pagecache", "256m");

        long t0 = System.nanoTime();
        Path pidFile = optionalPath("stack.pidfile");
        Path readyFile = optionalPath("stack.readyfile");
        if (readyFile != null) {
            Files.deleteIfExists(readyFile);
        }
        if (pidFile != null) {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
            .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pageCache))
            .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
            // small footprint: no 256 MiB preallocated tx logs per database, keep only recent logs
            .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
            .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 64L * 1024 * 1024)
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
            // no phoning home (dbms.usage_report.enabled)
            .setConfig(GraphDatabaseSettings.udc_enabled, false)
            // Bolt's netty event loops otherwise idle 5 s each (two connectors) before stopping
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
            .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            deleteQuietly(readyFile);
            System.out.println("[stack] shutting down neo4j");
            dbms.shutdown();
            System.out.println("[stack] neo4j stopped");
            System.out.flush();
        }, "stack-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofSeconds(120).toMillis())) {
            System.err.println("[stack] default database did not become available");
            System.exit(1);
        }
        System.out.printf("[stack] neo4j %s ready: bolt://%s:%d (auth disabled) database=%s in %d ms%n",
            org.neo4j.kernel.internal.Version.getNeo4jVersion(), host, port, db.databaseName(),
            (System.nanoTime() - t0) / 1_000_000);
        if (readyFile != null) {
            Files.writeString(readyFile, "bolt://" + host + ":" + port + "\n");
        }
        // keep the JVM alive; the DBMS threads are daemons in some versions
        Thread.currentThread().join();
    }

    private static Path optionalPath(String key) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    private static void deleteQuietly(Path p) {
        try {
            if (p != null) {
                Files.deleteIfExists(p);
            }
        } catch (Exception ignored) {
            // best effort
        }
    }

    private static String required(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing -D" + key);
        }
        return v;
    }
}
