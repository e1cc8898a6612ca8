package dev.archipelago.trainer.cli;

import ai.djl.engine.Engine;
import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.contract.RunConfig;
import dev.archipelago.trainer.job.BadConfigException;
import dev.archipelago.trainer.serve.BatchPolicy;
import dev.archipelago.trainer.serve.ExpertPrecision;
import dev.archipelago.trainer.serve.RequestLimits;
import dev.archipelago.trainer.serve.ServeOptions;
import dev.archipelago.trainer.serve.ServeRole;
import dev.archipelago.trainer.serve.Serving;
import dev.archipelago.trainer.storage.S3Buckets;
import dev.archipelago.trainer.storage.S3Settings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archipelago serve}: the router-plus-experts inference server. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the run's ensemble over HTTP: POST /v1/generate, GET /v1/models, /healthz, /readyz,"
          + " /metrics. Loads the EMA weights of each expert's and the router's latest checkpoint"
          + " (or pinned steps) from the run's storage.",
      "Roles: colocated (router and all experts here; default), router (experts are other"
          + " processes, --expert-urls), expert (one expert answering POST /v1/velocity)."
    })
final class ServeCommand extends EnvironmentCommand {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin RunConfigOption runConfig;

  @Option(
      names = "--role",
      defaultValue = "colocated",
      description = "colocated, router or expert (default: ${DEFAULT-VALUE}).")
  String role;

  @Option(names = "--expert", description = "The expert this process serves (role expert).")
  Integer expert;

  @Option(
      names = "--expert-urls",
      split = ",",
      description = "The experts' base URLs in expert order (role router), comma-separated.")
  List<URI> expertUrls = new ArrayList<>();

  @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on.")
  String bind;

  @Option(names = "--port", defaultValue = "8080", description = "Port (0: any free one).")
  int port;

  @Option(
      names = "--probe-port",
      defaultValue = "8081",
      description =
          "Port that serves /healthz and /readyz on threads of their own, answered whatever the"
              + " load (0: any free one; -1: none).")
  int probePort;

  @Option(
      names = "--max-queued",
      defaultValue = "16",
      description =
          "Generations admitted at once, running or waiting; more are answered 429 with"
              + " Retry-After (default: ${DEFAULT-VALUE}).")
  int maxQueued;

  @Option(
      names = "--max-count",
      defaultValue = "64",
      description = "The most images one request may ask for (default: ${DEFAULT-VALUE}).")
  int maxCount;

  @Option(
      names = "--max-work",
      defaultValue = "32768",
      description =
          "The most count × steps × experts per step one request may ask for; more is a 400"
              + " (default: ${DEFAULT-VALUE}).")
  long maxWork;

  @Option(
      names = "--max-timeout",
      defaultValue = "600",
      description =
          "Seconds a generation may take: the deadline of a request without timeoutSeconds and"
              + " the most one may ask; past it the answer is 504 (default: ${DEFAULT-VALUE}).")
  int maxTimeoutSeconds;

  @Option(
      names = "--batching",
      defaultValue = "on",
      description =
          "on: every forward pass batches the images of all requests that need the same model;"
              + " off: one generation at a time (default: ${DEFAULT-VALUE}).")
  String batching;

  @Option(
      names = "--max-batch",
      defaultValue = "32",
      description = "The most images one forward pass takes (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(
      names = "--batch-wait-ms",
      defaultValue = "2",
      description =
          "Milliseconds the oldest waiting image may wait for others to fill its pass"
              + " (default: ${DEFAULT-VALUE}).")
  int batchWaitMillis;

  @Option(
      names = "--pad-batches",
      defaultValue = "auto",
      description =
          "Pad smaller passes to this many images so an image's result does not depend on what"
              + " shares its pass; auto measures it when the models load, 0 turns it off (results"
              + " may then vary with load) (default: ${DEFAULT-VALUE}).")
  String padBatches;

  @Option(
      names = "--precision",
      defaultValue = "auto",
      description =
          "auto, fp32 or fp16: the number format of the models' weights and passes; auto is fp16"
              + " on a GPU and fp32 on CPUs (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(
      names = "--expert-step",
      description = "Serve expert K's checkpoint of step N instead of latest: K=N (repeatable).")
  Map<Integer, Long> expertSteps = new HashMap<>();

  @Option(names = "--router-step", description = "Serve the router's checkpoint of this step.")
  Long routerStep;

  @Option(
      names = "--expert-timeout",
      defaultValue = "60",
      description = "Seconds the router waits for one expert call (default: ${DEFAULT-VALUE}).")
  int expertTimeoutSeconds;

  @Option(
      names = "--model",
      description =
          "ensemble or student (the distilled one): what to serve (default: the run's"
              + " spec.inference.model).")
  String model;

  @Override
  public Integer call() throws Exception {
    RunConfig run;
    ServeOptions options;
    try {
      run = ServedModelOption.apply(RunConfigFile.read(runConfig.config, env()), model);
      options = options();
    } catch (BadConfigException | IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    Path scratch = TaskExecution.scratch(env());
    CountDownLatch stopped = new CountDownLatch(1);
    try (S3Buckets buckets = new S3Buckets(S3Settings.forRun(run.storage(), env()));
        Serving serving = Serving.start(run, options, buckets::forBucket, scratch)) {
      spec.commandLine().getOut().printf("serving on port %d%n", serving.port());
      spec.commandLine().getOut().flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "serve-stop"));
      stopped.await();
    }
    return 0;
  }

  private ServeOptions options() {
    ServeRole parsed;
    try {
      parsed = ServeRole.valueOf(role.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--role: unknown role '" + role + "'; expected colocated, router or expert");
    }
    if (parsed == ServeRole.EXPERT && expert == null) {
      throw new IllegalArgumentException("--expert is required with --role expert");
    }
    if (parsed != ServeRole.EXPERT && expert != null) {
      throw new IllegalArgumentException("--expert is only allowed with --role expert");
    }
    if (parsed == ServeRole.ROUTER && expertUrls.isEmpty()) {
      throw new IllegalArgumentException("--expert-urls is required with --role router");
    }
    if (maxCount < 1) {
      throw new IllegalArgumentException("--max-count must be at least 1");
    }
    if (maxWork < 1) {
      throw new IllegalArgumentException("--max-work must be at least 1");
    }
    if (maxTimeoutSeconds < 1) {
      throw new IllegalArgumentException("--max-timeout must be at least 1 second");
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("--max-queued must be at least 1");
    }
    return new ServeOptions(
        parsed,
        expert,
        expertUrls,
        new InetSocketAddress(bind, port),
        probePort < 0 ? null : new InetSocketAddress(bind, probePort),
        new RequestLimits(maxCount, maxWork, Duration.ofSeconds(maxTimeoutSeconds)),
        maxQueued,
        batchPolicy(),
        ExpertPrecision.resolve(precision, Engine.getInstance().getGpuCount()),
        expertSteps,
        routerStep,
        Duration.ofSeconds(expertTimeoutSeconds));
  }

  private Optional<BatchPolicy> batchPolicy() {
    switch (batching) {
      case "off" -> {
        return Optional.empty();
      }
      case "on" -> {}
      default ->
          throw new IllegalArgumentException(
              "--batching: unknown value '" + batching + "'; expected on or off");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("--max-batch must be at least 1");
    }
    if (batchWaitMillis < 0) {
      throw new IllegalArgumentException("--batch-wait-ms must not be negative");
    }
    int pad;
    if (padBatches.equals("auto")) {
      pad = BatchPolicy.CALIBRATE;
    } else {
      try {
        pad = Integer.parseInt(padBatches);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--pad-batches must be auto or a number of images, got '" + padBatches + "'");
      }
      if (pad < 0 || pad > maxBatch) {
        throw new IllegalArgumentException(
            "--pad-batches must be between 0 and --max-batch (" + maxBatch + "), got " + pad);
      }
    }
    return Optional.of(new BatchPolicy(maxBatch, Duration.ofMillis(batchWaitMillis), pad));
  }
}
