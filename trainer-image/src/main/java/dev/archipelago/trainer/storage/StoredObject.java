package dev.archipelago.trainer.storage;

/** One listed object: its full key and its size in bytes. */
public record StoredObject(String key, long size) {}
