package dev.archipelago.trainer.local;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of the server's {@code POST /v1/generate}. Null fields are left out and take the run's
 * inference defaults; {@code expert} bypasses the router and samples that expert alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleRequest(
    Integer count,
    Long seed,
    Integer steps,
    String sampler,
    String strategy,
    Integer topK,
    Integer expert,
    String format) {

  public static final String PNG = "png";
  public static final String JSON = "json";

  /** {@code count} samples of expert {@code k} alone. */
  public static SampleRequest ofExpert(int k, int count, long seed) {
    return new SampleRequest(count, seed, null, null, null, null, k, PNG);
  }

  /** {@code count} samples of the ensemble with the run's strategy. */
  public static SampleRequest ofEnsemble(int count, long seed) {
    return new SampleRequest(count, seed, null, null, null, null, null, PNG);
  }
}
