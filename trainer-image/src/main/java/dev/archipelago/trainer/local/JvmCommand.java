package dev.archipelago.trainer.local;

import dev.archipelago.trainer.cli.Archipelago;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The command line of a child process that runs this same program: this JVM's {@code java}, its
 * class path and the system properties that shape a task (DJL's offline mode and engine, logging),
 * with the PyTorch thread count of the child.
 */
public final class JvmCommand {
  /** Properties handed down: DJL's settings, logging configuration. */
  private static final List<String> FORWARDED_PREFIXES = List.of("ai.djl.", "logback.");

  private static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
  private static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  private final Path java;
  private final String classPath;
  private final Map<String, String> properties;

  JvmCommand(Path java, String classPath, Map<String, String> properties) {
    this.java = java;
    this.classPath = classPath;
    this.properties = new TreeMap<>(properties);
  }

  /** The command of this JVM. */
  public static JvmCommand current() {
    Properties system = System.getProperties();
    Map<String, String> forwarded = new TreeMap<>();
    for (String name : system.stringPropertyNames()) {
      if (FORWARDED_PREFIXES.stream().anyMatch(name::startsWith)) {
        forwarded.put(name, system.getProperty(name));
      }
    }
    return new JvmCommand(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        System.getProperty("java.class.path"),
        forwarded);
  }

  /** {@code java [-D...] -cp <class path> Archipelago <args>} with {@code threads} intra-op. */
  public List<String> archipelago(int threads, List<String> args) {
    Map<String, String> props = new TreeMap<>(properties);
    props.put(NUM_THREADS, Integer.toString(threads));
    // One inter-op thread: a task's graph has no independent branches worth a second pool.
    props.put(NUM_INTEROP_THREADS, "1");
    props.put("java.awt.headless", "true");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    props.forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.add("-cp");
    command.add(classPath);
    command.add(Archipelago.class.getName());
    command.addAll(args);
    return command;
  }
}
