package dev.archipelago.trainer.local;

import dev.archipelago.trainer.cli.EnvironmentCommand;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code archipelago local run -f MANIFEST}: see {@link LocalRun}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the DDMRun of a manifest (the file kubectl apply takes) on this machine: partition,"
          + " experts and router as child processes against an S3 server in the work dir, then"
          + " samples.png from the inference server and a summary.",
      "Ctrl-C stops the tasks after they checkpoint; the same command again resumes.",
      "Exit codes: 0 done, 1 a task failed, 2 invalid manifest (or a task's bad config),"
          + " 75 stopped."
    })
public final class LocalRunCommand extends EnvironmentCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "Manifest with one DDMRun (other documents are ignored).")
  Path manifest;

  @Option(
      names = "--work-dir",
      description =
          "Where data, checkpoints, logs and pictures go (default ./.archipelago/<run>/).")
  Path workDir;

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace of the run (default: the manifest's, else default).")
  String namespace;

  @Option(
      names = "--s3-endpoint",
      description =
          "Use this S3 endpoint (bucket from the manifest, credentials from AWS_ACCESS_KEY_ID /"
              + " AWS_SECRET_ACCESS_KEY) instead of the embedded server.")
  String s3Endpoint;

  @Option(
      names = "--parallel",
      description = "Training processes at once (default: max(1, min(experts, cores / 2))).")
  Integer parallel;

  @Option(names = "--no-samples", description = "Do not start the server for samples.png.")
  boolean noSamples;

  @Option(names = "--serve", description = "Keep the inference server running until Ctrl-C.")
  boolean serve;

  @Option(
      names = "--samples",
      defaultValue = "16",
      description = "Samples per block of samples.png (default: ${DEFAULT-VALUE}).")
  int samplesPerBlock;

  @Override
  public Integer call() {
    if (parallel != null && parallel < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--parallel must be ≥ 1");
    }
    if (samplesPerBlock < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--samples must be ≥ 1");
    }
    LocalRunOptions options =
        new LocalRunOptions(
            manifest, workDir, namespace, s3Endpoint, parallel, !noSamples, serve, samplesPerBlock);
    return new LocalRun(
            options,
            env(),
            spec.commandLine().getOut(),
            spec.commandLine().getErr(),
            System.console() != null)
        .run();
  }
}
