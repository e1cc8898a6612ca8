package dev.archipelago.e2e.chart;

import dev.archipelago.testcluster.TestCluster;
import dev.archipelago.testcluster.TestClusters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real helm CLI (built from its Go module by hack/cluster-binaries.sh), with its own config,
 * cache and data directories under target/ so that tests never touch the user's helm setup.
 */
public final class Helm {
  private static final Path HOME = Path.of("target", "helm-home").toAbsolutePath();

  /** What a helm command printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private final Path binary;
  private final Path kubeconfig;

  private Helm(Path kubeconfig) {
    this.binary = TestClusters.binary("helm");
    this.kubeconfig = kubeconfig;
  }

  /** For lint and template: no cluster is contacted. */
  public static Helm offline() {
    return new Helm(null);
  }

  /** Talks to the test cluster as cluster-admin, as a platform team's helm would. */
  public static Helm on(TestCluster cluster) {
    return new Helm(cluster.adminKubeconfig());
  }

  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    try {
      Files.createDirectories(HOME);
      Path out = Files.createTempFile(HOME, "helm-", ".out");
      Path err = Files.createTempFile(HOME, "helm-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("HELM_CONFIG_HOME", HOME.resolve("config").toString());
      builder.environment().put("HELM_CACHE_HOME", HOME.resolve("cache").toString());
      builder.environment().put("HELM_DATA_HOME", HOME.resolve("data").toString());
      // Offline commands must not pick up a kubeconfig of the machine.
      builder
          .environment()
          .put("KUBECONFIG", kubeconfig == null ? "/dev/null" : kubeconfig.toString());
      Process process = builder.start();
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm timed out: " + String.join(" ", args));
      }
      Result result =
          new Result(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command that must succeed; its stdout. */
  public String ok(String... args) {
    Result result = run(args);
    if (!result.ok()) {
      throw new IllegalStateException(
          "helm "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + "\n"
              + result.stdout()
              + result.stderr());
    }
    return result.stdout();
  }
}
