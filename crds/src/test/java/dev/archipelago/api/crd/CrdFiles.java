package dev.archipelago.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the build writes the CRDs and where their committed copies live. */
final class CrdFiles {
  static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

  /** Written by crd-generator-maven-plugin at process-classes. */
  static final Path GENERATED = MODULE.resolve("target/classes/META-INF/fabric8");

  /** The committed copies that users and CI apply. */
  static final Path COMMITTED = MODULE.resolve("generated");

  static final String DDM_RUNS = "ddmruns.archipelago.dev-v1.yml";
  static final String COMPUTE_ISLANDS = "computeislands.archipelago.dev-v1.yml";

  private CrdFiles() {}

  static List<String> names(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CustomResourceDefinition load(String name) {
    try {
      return new KubernetesSerialization()
          .unmarshal(Files.readString(GENERATED.resolve(name)), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
