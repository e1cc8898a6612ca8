package dev.archipelago.trainer.cli;

import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code archipelago engine}: loads the deep-learning engine and says what it found. The image
 * build runs it to unpack the native library ahead of time; on a GPU node it shows whether CUDA is
 * visible.
 */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = "Load the PyTorch engine and print its version, GPU count and default device.")
final class EngineCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Engine engine = Engine.getInstance();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "engine %s %s, %d GPU(s), default device %s%n",
        engine.getEngineName(), engine.getVersion(), engine.getGpuCount(), engine.defaultDevice());
    out.flush();
    return 0;
  }
}
