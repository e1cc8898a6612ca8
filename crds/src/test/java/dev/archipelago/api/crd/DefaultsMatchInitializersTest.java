package dev.archipelago.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.archipelago.api.contract.ContractJson;
import dev.archipelago.api.spec.DDMRunSpec;
import io.fabric8.generator.annotation.Default;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A default is written twice: in {@code @Default} (for the API server) and as the field's
 * initializer (for objects built in Java). This keeps the two equal.
 */
class DefaultsMatchInitializersTest {
  private static final ObjectMapper JSON = ContractJson.mapper();

  @Test
  void everySchemaDefaultEqualsTheJavaInitializer() throws Exception {
    List<String> mismatches = new ArrayList<>();
    for (Class<?> type : specClasses()) {
      if (type.isEnum() || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
        continue;
      }
      Object instance = null;
      for (Field field : type.getDeclaredFields()) {
        Default annotation = field.getAnnotation(Default.class);
        if (annotation == null || annotation.value().equals("{}")) {
          continue; // "{}" makes the generator serialise the initializer itself.
        }
        if (instance == null) {
          instance = type.getDeclaredConstructor().newInstance();
        }
        field.setAccessible(true);
        JsonNode initializer = JSON.valueToTree(field.get(instance));
        if (!same(initializer, annotation.value())) {
          mismatches.add(
              type.getSimpleName()
                  + "."
                  + field.getName()
                  + ": @Default("
                  + annotation.value()
                  + ") but initializer "
                  + initializer);
        }
      }
    }
    assertThat(mismatches).isEmpty();
  }

  private static boolean same(JsonNode initializer, String declared) {
    if (initializer.isTextual()) {
      return initializer.equals(TextNode.valueOf(declared));
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(declared);
    } catch (JsonProcessingException e) {
      return false;
    }
    if (initializer.isNumber() && parsed.isNumber()) {
      return initializer.decimalValue().compareTo(parsed.decimalValue()) == 0;
    }
    return initializer.equals(parsed);
  }

  private static List<Class<?>> specClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(DDMRunSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String pkg = DDMRunSpec.class.getPackageName();
    try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.contains("$"))
          .<Class<?>>map(n -> load(pkg + "." + n.substring(0, n.length() - ".class".length())))
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
