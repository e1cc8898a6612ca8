package dev.archipelago.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * crd-generator 7.5 sorts printer columns by JSON path, so `kubectl get ddm` would show AGE first.
 * The committed CRDs list them in the order the model declares them instead; this rewrites only
 * that block of the generated YAML, leaving every other byte as generated.
 */
final class PrinterColumnOrder {
  private static final String BLOCK = "  - additionalPrinterColumns:";
  private static final String ENTRY = "    - ";
  private static final String CONTINUATION = "      ";

  private PrinterColumnOrder() {}

  static String asDeclared(String yaml, Class<?> resource) {
    List<String> order =
        Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    if (order.isEmpty()) {
      return yaml;
    }
    List<String> lines = new ArrayList<>(Arrays.asList(yaml.split("\n", -1)));
    int start = lines.indexOf(BLOCK);
    if (start < 0) {
      return yaml;
    }
    List<List<String>> entries = new ArrayList<>();
    int i = start + 1;
    while (i < lines.size()
        && (lines.get(i).startsWith(ENTRY) || lines.get(i).startsWith(CONTINUATION))) {
      if (lines.get(i).startsWith(ENTRY)) {
        entries.add(new ArrayList<>());
      }
      entries.get(entries.size() - 1).add(lines.get(i));
      i++;
    }
    entries.sort(Comparator.comparingInt(entry -> position(order, entry)));
    List<String> reordered = new ArrayList<>(lines.subList(0, start + 1));
    entries.forEach(reordered::addAll);
    reordered.addAll(lines.subList(i, lines.size()));
    return String.join("\n", reordered);
  }

  private static int position(List<String> order, List<String> entry) {
    for (String line : entry) {
      String trimmed = line.trim().replaceFirst("^- ", "");
      if (trimmed.startsWith("name: ")) {
        int at = order.indexOf(trimmed.substring(6).replace("\"", ""));
        return at < 0 ? Integer.MAX_VALUE : at;
      }
    }
    return Integer.MAX_VALUE;
  }
}
