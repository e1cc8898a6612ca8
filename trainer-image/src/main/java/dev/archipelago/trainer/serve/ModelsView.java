package dev.archipelago.trainer.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of {@code GET /v1/models}. */
final class ModelsView {
  private ModelsView() {}

  static Map<String, Object> of(ModelFacts facts) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", facts.run());
    List<Map<String, Object>> experts = new ArrayList<>();
    for (int k = 0; k < facts.experts(); k++) {
      Map<String, Object> expert = new LinkedHashMap<>();
      expert.put("index", k);
      // Null in the router role: each distributed expert reports its own step.
      expert.put("step", facts.expertSteps().get(k));
      experts.add(expert);
    }
    out.put("experts", experts);
    out.put("router", facts.routerStep() == null ? null : Map.of("step", facts.routerStep()));
    out.put("imageSize", facts.shape().size());
    out.put("channels", facts.shape().channels());
    out.put("classConditional", facts.classConditional());
    out.put("numClasses", facts.numClasses());
    return out;
  }
}
