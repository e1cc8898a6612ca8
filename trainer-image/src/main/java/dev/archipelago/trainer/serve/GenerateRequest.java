package dev.archipelago.trainer.serve;

import dev.archipelago.api.spec.GuidanceMode;
import dev.archipelago.api.spec.Sampler;
import java.time.Duration;

/**
 * A validated {@code POST /v1/generate}, with the run's inference defaults filled in.
 *
 * @param routing how experts combine; ignored when {@code expert} is set
 * @param expert sample from this expert alone (router bypassed), or null for the ensemble
 * @param classLabel the class to draw, or null (the null class) for class-conditional models
 * @param guidance classifier-free guidance scale; 1 = none
 * @param guidanceMode what guidance extrapolates in the ensemble (ignored with {@code expert})
 * @param timeout how long the request may take; past it the server stops its work and answers 504
 */
public record GenerateRequest(
    int count,
    long seed,
    int steps,
    Sampler sampler,
    Routing routing,
    Integer expert,
    Integer classLabel,
    float guidance,
    GuidanceMode guidanceMode,
    OutputFormat format,
    boolean trace,
    Duration timeout) {}
