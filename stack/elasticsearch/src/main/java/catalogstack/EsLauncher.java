package catalogstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * Starts a single Elasticsearch 8 node in this JVM (no CLI, no security manager / entitlements, no bootstrap checks).
 *
 * The node home (path.home) is the built directory with config/elasticsearch.yml, config/log4j2.properties and
 * modules/{transport-netty4,stack-common}. System properties (set by scripts/stack):
 *   stack.es.home, stack.es.data, stack.es.logs, stack.es.host (127.0.0.1), stack.es.http.port (9200),
 *   stack.es.transport.port (9300), stack.pidfile (optional, written by this process)
 */
public final class EsLauncher {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Path home = Path.of(required("stack.es.home")).toAbsolutePath();
        Path data = Path.of(required("stack.es.data")).toAbsolutePath();
        Path logs = Path.of(required("stack.es.logs")).toAbsolutePath();
        Files.createDirectories(data);
        Files.createDirectories(logs);
        String pidFile = System.getProperty("stack.pidfile");
        if (pidFile != null && pidFile.isBlank() == false) {
            Files.writeString(Path.of(pidFile), ProcessHandle.current().pid() + "\n");
        }

        Settings overrides = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("path.logs", logs.toString())
            .put("network.host", System.getProperty("stack.es.host", "127.0.0.1"))
            .put("http.port", System.getProperty("stack.es.http.port", "9200"))
            .put("transport.port", System.getProperty("stack.es.transport.port", "9300"))
            .build();

        LogConfigurator.registerErrorListener();
        // reads config/elasticsearch.yml; explicit overrides win
        Environment env = InternalSettingsPreparer.prepareEnvironment(overrides, Map.of(), home.resolve("config"), () -> "stack-es");
        LogConfigurator.setClusterName(ClusterName.CLUSTER_NAME_SETTING.get(env.settings()).value());
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(env.settings()));
        LogConfigurator.configure(env, true);

        PluginsLoader plugins = PluginsLoader.createPluginsLoader(
            PluginsLoader.loadModulesBundles(env.modulesDir()),
            Set.of(),
            Map.of(),
            false // server runs from the class path, not as a Java module
        );

        Node node = new Node(env, plugins);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                System.out.println("[stack] stopping elasticsearch");
                node.prepareForClose();
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
                System.out.println("[stack] elasticsearch stopped");
                System.out.flush();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "stack-es-shutdown"));
        node.start();
        System.out.printf("[stack] elasticsearch %s ready: http://%s:%s in %d ms%n",
            org.elasticsearch.Build.current().version(), env.settings().get("network.host"), env.settings().get("http.port"),
            (System.nanoTime() - t0) / 1_000_000);
        stopped.await();
    }

    private static String required(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing -D" + key);
        }
        return v;
    }
}
