package dev.archipelago.trainer.job;

import ai.djl.engine.Engine;
import dev.archipelago.api.contract.PodEnv;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * A task whose pod was given GPUs ({@link PodEnv#GPUS}) trains on them or not at all. When the
 * engine sees none (the image's PyTorch native library is a CPU build, or the node lacks its NVIDIA
 * driver or device plugin), training on the CPU would hold the GPUs for days at a fraction of their
 * speed: the task fails at once with a bad config, which the operator does not retry, and says
 * which native library the image carries.
 */
public final class GpuRequirement {
  /** DJL's override of the native library's build ({@code cpu}, {@code cu128}, ...). */
  static final String FLAVOR_VARIABLE = "PYTORCH_FLAVOR";

  /** Written by DJL into its native-library jars: version, flavor, classifier, libraries. */
  private static final String BUNDLED_NATIVE_PROPERTIES = "native/lib/pytorch.properties";

  private GpuRequirement() {}

  /**
   * Fails when the environment says the pod holds GPUs and the engine sees none; loads the engine
   * only then.
   */
  public static void check(Map<String, String> env) {
    int held = held(env);
    if (held > 0) {
      check(held, engine(held, env), env);
    }
  }

  /**
   * The engine, or why a CUDA build cannot start: its libtorch links the NVIDIA driver's
   * libcuda.so.1, which a GPU node's device plugin and container toolkit mount only into containers
   * given GPUs by them.
   */
  private static Engine engine(int held, Map<String, String> env) {
    try {
      return Engine.getInstance();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new BadConfigException(
          "this pod was given "
              + held
              + " GPU(s) but the engine of the image's '"
              + nativeFlavor(env)
              + "' native build does not start ("
              + root.getMessage()
              + "): a CUDA build needs the node's NVIDIA driver, which the device plugin and the"
              + " NVIDIA container toolkit provide; check that this node pool runs them");
    }
  }

  static void check(int held, Engine engine, Map<String, String> env) {
    if (held == 0 || engine.getGpuCount() > 0) {
      return;
    }
    String flavor = nativeFlavor(env);
    String why =
        flavor.startsWith("cu")
            ? "the image carries the CUDA build '"
                + flavor
                + "' of its native library, so this node's NVIDIA driver or device plugin is"
                + " missing"
            : "the image carries the '"
                + flavor
                + "' build of its native library, which has no CUDA support";
    throw new BadConfigException(
        "this pod was given "
            + held
            + " GPU(s) ("
            + PodEnv.GPUS
            + ") but the "
            + engine.getEngineName()
            + " "
            + engine.getVersion()
            + " engine sees none: "
            + why
            + ". It will not train on the CPU while it holds GPUs: use a trainer image with a CUDA"
            + " build (trainer-image/README.md, GPU images), or set resources.gpus to 0 to train"
            + " on CPUs");
  }

  /** GPUs the pod holds; 0 without the variable ({@code archipelago local run}, CPU tasks). */
  static int held(Map<String, String> env) {
    String value = env.get(PodEnv.GPUS);
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int gpus = Integer.parseInt(value.trim());
      if (gpus >= 0) {
        return gpus;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadConfigException(
        PodEnv.GPUS + " must be a number of GPUs >= 0, got '" + value + "'");
  }

  /**
   * The build of the PyTorch native library the engine loads: DJL's {@value #FLAVOR_VARIABLE}
   * override (the image sets it beside PYTORCH_LIBRARY_PATH), else the bundled native jar's.
   */
  static String nativeFlavor(Map<String, String> env) {
    String flavor = env.getOrDefault(FLAVOR_VARIABLE, System.getProperty(FLAVOR_VARIABLE));
    if (flavor != null && !flavor.isBlank()) {
      return flavor.trim();
    }
    try (InputStream in =
        GpuRequirement.class.getClassLoader().getResourceAsStream(BUNDLED_NATIVE_PROPERTIES)) {
      if (in != null) {
        Properties bundled = new Properties();
        bundled.load(in);
        return bundled.getProperty("flavor", "unknown");
      }
    } catch (IOException e) {
      // an unreadable jar says no more than a missing one
    }
    return "unknown";
  }
}
