package dev.archipelago.trainer.checkpoint;

/** One file of a checkpoint: its name inside the checkpoint directory, size and SHA-256 (hex). */
public record ManifestEntry(String name, long size, String sha256) {}
