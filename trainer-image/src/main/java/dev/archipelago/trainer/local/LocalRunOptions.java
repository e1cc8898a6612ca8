package dev.archipelago.trainer.local;

import java.nio.file.Path;

/**
 * What {@code local run} was asked to do.
 *
 * @param manifest the YAML file holding the DDMRun
 * @param workDir where everything is kept; null for {@code ./.archipelago/<run name>/}
 * @param namespace namespace the run pretends to live in; null for the manifest's, else "default"
 * @param s3Endpoint an existing S3 endpoint instead of the embedded one; null for embedded
 * @param parallel training processes at once; null for the default ({@link Parallelism})
 * @param samples whether to write samples.png through the inference server
 * @param serve whether to keep the inference server running until Ctrl-C
 * @param samplesPerBlock samples per expert and for the ensemble in samples.png
 */
public record LocalRunOptions(
    Path manifest,
    Path workDir,
    String namespace,
    String s3Endpoint,
    Integer parallel,
    boolean samples,
    boolean serve,
    int samplesPerBlock) {}
