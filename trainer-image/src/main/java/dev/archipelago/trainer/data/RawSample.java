package dev.archipelago.trainer.data;

import java.util.Map;

/** The undecoded parts of one WebDataset sample: extension ("png", "cls", …) to bytes. */
public record RawSample(String shard, String key, Map<String, byte[]> parts) {}
