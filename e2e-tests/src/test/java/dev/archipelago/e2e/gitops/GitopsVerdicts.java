package dev.archipelago.e2e.gitops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archipelago.e2e.chart.ChartFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The verdicts of the real GitOps libraries on a list of objects: kstatus (sigs.k8s.io/cli-utils)
 * and the Argo CD health check in gopher-lua, by the Go program in gitops/verdicts, which
 * hack/gitops-verdicts.sh builds from its pinned modules (cached after the first build).
 */
final class GitopsVerdicts {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What kstatus and Argo CD say about one object. */
  record Verdict(String kstatus, String kstatusMessage, String argo, String argoMessage) {}

  private final Path binary;

  private GitopsVerdicts(Path binary) {
    this.binary = binary;
  }

  static GitopsVerdicts build() {
    String out =
        run(List.of("bash", ChartFiles.REPO.resolve("hack/gitops-verdicts.sh").toString()));
    String[] lines = out.strip().split("\n");
    return new GitopsVerdicts(Path.of(lines[lines.length - 1].strip()));
  }

  /** One verdict per object, in order. */
  List<Verdict> of(List<?> objects, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path input = Files.createTempFile(workDir, "objects-", ".json");
      JSON.writeValue(input.toFile(), objects);
      String out = run(List.of(binary.toString(), ArgoHealth.SCRIPT.toString(), input.toString()));
      return JSON.readValue(
          out.getBytes(StandardCharsets.UTF_8),
          JSON.getTypeFactory().constructCollectionType(List.class, Verdict.class));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      byte[] stdout = p.getInputStream().readAllBytes();
      String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(command + " failed: " + stderr);
      }
      return new String(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
