package dev.archipelago.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The student's attempt, placement and progress, for runs with spec.distillation enabled. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DistillationStatus extends TrainerStatus {}
