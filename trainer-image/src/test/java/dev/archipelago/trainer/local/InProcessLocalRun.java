package dev.archipelago.trainer.local;

import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** {@code archipelago local run} called in the test's JVM (its tasks still run as child JVMs). */
final class InProcessLocalRun {
  private InProcessLocalRun() {}

  /** What one call printed and returned. */
  record Run(int exit, String out, String err) {}

  static Run run(CommandLine cli, Path manifest, Path work, String... extra) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = execute(cli, out, err, manifest, work, extra);
    return new Run(exit, out.toString(), err.toString());
  }

  /** {@code local run -f manifest --work-dir work --parallel 2 extra...}; returns the exit code. */
  static int execute(
      CommandLine cli,
      StringWriter out,
      StringWriter err,
      Path manifest,
      Path work,
      String... extra) {
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> args =
        new ArrayList<>(
            List.of(
                "local",
                "run",
                "-f",
                manifest.toString(),
                "--work-dir",
                work.toString(),
                "--parallel",
                "2"));
    args.addAll(List.of(extra));
    return cli.execute(args.toArray(String[]::new));
  }

  /** {@code local run --serve --no-samples} on another thread; its output goes to {@code out}. */
  static CompletableFuture<Integer> serve(StringWriter out, Path manifest, Path work) {
    return CompletableFuture.supplyAsync(
        () ->
            execute(
                dev.archipelago.trainer.cli.Archipelago.commandLine(),
                out,
                new StringWriter(),
                manifest,
                work,
                "--serve",
                "--no-samples"));
  }

  /** Waits for the "serving at URL" line of {@code local run --serve}. */
  static URI awaitServing(StringWriter out, CompletableFuture<Integer> run) {
    Pattern serving = Pattern.compile("serving at (\\S+)");
    return await("local run serving")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .failFast("local run ended before serving", run::isDone)
        .until(() -> serving.matcher(out.toString()).results().findFirst(), Optional::isPresent)
        .map(m -> URI.create(m.group(1)))
        .orElseThrow();
  }
}
