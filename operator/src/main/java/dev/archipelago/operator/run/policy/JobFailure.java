package dev.archipelago.operator.run.policy;

import java.util.OptionalInt;

/**
 * A failed trainer Job, classified.
 *
 * @param kind what the failure means for retries
 * @param exitCode the trainer's exit code, when the Job reported one
 * @param detail the Job controller's message, for status and events
 */
public record JobFailure(FailureKind kind, OptionalInt exitCode, String detail) {}
