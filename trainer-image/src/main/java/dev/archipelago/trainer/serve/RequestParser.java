package dev.archipelago.trainer.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.archipelago.api.spec.GuidanceMode;
import dev.archipelago.api.spec.InferenceSpec;
import dev.archipelago.api.spec.InferenceStrategy;
import dev.archipelago.api.spec.Sampler;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and checks the JSON body of {@code /v1/generate}; every refusal names its field. Omitted
 * fields take the run's {@code spec.inference} values.
 */
public final class RequestParser {
  /** Upper bound on solver steps, as in the API's {@code samplingSteps}. */
  public static final int MAX_STEPS = 1000;

  public static final float MAX_GUIDANCE = 50f;

  private static final Set<String> FIELDS =
      Set.of(
          "count",
          "seed",
          "steps",
          "sampler",
          "strategy",
          "topK",
          "expert",
          "class",
          "guidance",
          "guidanceMode",
          "format",
          "trace",
          "timeoutSeconds");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelFacts models;
  private final InferenceSpec defaults;
  private final RequestLimits limits;

  public RequestParser(ModelFacts models, InferenceSpec defaults, RequestLimits limits) {
    this.models = models;
    this.defaults = defaults;
    this.limits = limits;
  }

  public GenerateRequest parse(byte[] body) {
    ObjectNode json = object(body);
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new BadRequestException(name, "unknown field '" + name + "'; known: " + FIELDS);
      }
    }
    int count = integer(json, "count", 1, 1, limits.maxCount());
    long seed =
        json.has("seed")
            ? longValue(json, "seed")
            : ThreadLocalRandom.current().nextLong(0, Long.MAX_VALUE);
    int steps = integer(json, "steps", defaults.getSamplingSteps(), 1, MAX_STEPS);
    Sampler sampler = sampler(json);
    Integer expert = optionalInteger(json, "expert", 0, models.experts() - 1);
    if (expert != null && (json.has("strategy") || json.has("topK"))) {
      throw new BadRequestException(
          "expert", "expert samples from one expert alone; leave out strategy and topK");
    }
    Routing routing = routing(json);
    Integer classLabel = classLabel(json);
    float guidance = guidance(json, classLabel);
    GuidanceMode guidanceMode = guidanceMode(json);
    OutputFormat format = format(json);
    boolean trace = json.has("trace") && bool(json, "trace");
    if (trace && format != OutputFormat.JSON) {
      throw new BadRequestException("trace", "trace is returned only with format json");
    }
    if (trace && expert != null) {
      throw new BadRequestException("trace", "trace shows routing; with expert there is none");
    }
    requireWithinWork(count, steps, expert != null ? 1 : routing.expertsPerStep(models.experts()));
    Duration timeout = timeout(json);
    return new GenerateRequest(
        count,
        seed,
        steps,
        sampler,
        routing,
        expert,
        classLabel,
        guidance,
        guidanceMode,
        format,
        trace,
        timeout);
  }

  /** count × steps × experts per step, the request's share of model time, within the limit. */
  private void requireWithinWork(int count, int steps, int expertsPerStep) {
    long work = (long) count * steps * expertsPerStep;
    if (work > limits.maxWork()) {
      throw new BadRequestException(
          "count",
          "count × steps × experts per step = "
              + count
              + " × "
              + steps
              + " × "
              + expertsPerStep
              + " = "
              + work
              + " is over this server's limit of "
              + limits.maxWork()
              + "; ask for fewer images, steps or experts");
    }
  }

  private Duration timeout(ObjectNode json) {
    long max = limits.maxTimeout().toSeconds();
    if (!json.has("timeoutSeconds")) {
      return limits.maxTimeout();
    }
    return Duration.ofSeconds(
        integer(json, "timeoutSeconds", 0, 1, (int) Math.min(max, Integer.MAX_VALUE)));
  }

  private Routing routing(ObjectNode json) {
    InferenceStrategy strategy = defaults.getStrategy();
    if (json.has("strategy")) {
      String name = text(json, "strategy");
      strategy = enumValue(InferenceStrategy.class, "strategy", name, "top1, topk, full, sample");
    }
    Integer topK = json.has("topK") ? Integer.valueOf(integer(json, "topK", 0, 1, 64)) : null;
    if (topK != null && strategy != InferenceStrategy.TOPK) {
      throw new BadRequestException("topK", "topK is only allowed with strategy topk");
    }
    if (strategy == InferenceStrategy.TOPK) {
      if (topK == null) {
        topK = defaults.getTopK();
      }
      if (topK == null) {
        throw new BadRequestException("topK", "topK is required with strategy topk");
      }
      if (topK > models.experts()) {
        throw new BadRequestException(
            "topK", "topK " + topK + " is more than the " + models.experts() + " experts served");
      }
      return new Routing(strategy, topK);
    }
    return new Routing(strategy, 1);
  }

  private Sampler sampler(ObjectNode json) {
    if (!json.has("sampler")) {
      return defaults.getSampler();
    }
    return enumValue(Sampler.class, "sampler", text(json, "sampler"), "euler, heun");
  }

  private OutputFormat format(ObjectNode json) {
    if (!json.has("format")) {
      return OutputFormat.PNG;
    }
    return enumValue(OutputFormat.class, "format", text(json, "format"), "png, json");
  }

  private Integer classLabel(ObjectNode json) {
    if (!json.has("class")) {
      return null;
    }
    if (!models.classConditional()) {
      throw new BadRequestException(
          "class", "class needs a class-conditional model; this one is unconditional");
    }
    return optionalInteger(json, "class", 0, models.numClasses() - 1);
  }

  private float guidance(ObjectNode json, Integer classLabel) {
    if (!json.has("guidance")) {
      return 1f;
    }
    if (!models.classConditional()) {
      throw new BadRequestException(
          "guidance", "guidance needs a class-conditional model; this one is unconditional");
    }
    JsonNode node = json.get("guidance");
    if (!node.isNumber() || !Float.isFinite(node.floatValue())) {
      throw new BadRequestException("guidance", "guidance must be a number");
    }
    float guidance = node.floatValue();
    if (guidance < 0 || guidance > MAX_GUIDANCE) {
      throw new BadRequestException(
          "guidance", "guidance must be between 0 and " + MAX_GUIDANCE + ", got " + guidance);
    }
    if (classLabel == null && guidance != 1f) {
      throw new BadRequestException("guidance", "guidance needs a class to guide towards");
    }
    return guidance;
  }

  private GuidanceMode guidanceMode(ObjectNode json) {
    if (!json.has("guidanceMode")) {
      return defaults.getGuidanceMode() == null ? GuidanceMode.MIXTURE : defaults.getGuidanceMode();
    }
    return switch (text(json, "guidanceMode")) {
      case "mixture" -> GuidanceMode.MIXTURE;
      case "perExpert" -> GuidanceMode.PER_EXPERT;
      default ->
          throw new BadRequestException(
              "guidanceMode",
              "unknown guidanceMode '"
                  + text(json, "guidanceMode")
                  + "'; expected one of mixture, perExpert");
    };
  }

  private static ObjectNode object(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || node.isMissingNode()) {
        return JSON.createObjectNode();
      }
      if (!(node instanceof ObjectNode object)) {
        throw new BadRequestException("body", "the body must be a JSON object");
      }
      return object;
    } catch (JsonProcessingException e) {
      throw new BadRequestException(
          "body", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequestException("body", "the body is unreadable: " + e.getMessage());
    }
  }

  private static int integer(ObjectNode json, String field, int fallback, int min, int max) {
    if (!json.has(field)) {
      return fallback;
    }
    Integer value = optionalInteger(json, field, min, max);
    return value;
  }

  private static Integer optionalInteger(ObjectNode json, String field, int min, int max) {
    if (!json.has(field)) {
      return null;
    }
    JsonNode node = json.get(field);
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new BadRequestException(field, field + " must be an integer");
    }
    int value = node.intValue();
    if (value < min || value > max) {
      throw new BadRequestException(
          field, field + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  private static long longValue(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new BadRequestException(field, field + " must be an integer");
    }
    return node.longValue();
  }

  private static boolean bool(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (!node.isBoolean()) {
      throw new BadRequestException(field, field + " must be true or false");
    }
    return node.booleanValue();
  }

  private static String text(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (!node.isTextual()) {
      throw new BadRequestException(field, field + " must be a string");
    }
    return node.textValue();
  }

  private static <E extends Enum<E>> E enumValue(
      Class<E> type, String field, String name, String allowed) {
    try {
      return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          field, "unknown " + field + " '" + name + "'; expected one of " + allowed);
    }
  }
}
