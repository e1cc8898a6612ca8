package dev.archipelago.trainer.cli;

import dev.archipelago.api.contract.Role;
import dev.archipelago.api.contract.Task;
import picocli.CommandLine.Command;

/** {@code archipelago encode}: the encode task of a latent run, started by hand. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description =
        "Encode the data set's image shards into latent shards with the run's TorchScript VAE encoder (spec.dataset.encode), before the partition.")
final class EncodeCommand extends ManualTaskCommand {
  @Override
  Task task(int attempt) {
    return Task.of(Role.ENCODE, attempt);
  }
}
