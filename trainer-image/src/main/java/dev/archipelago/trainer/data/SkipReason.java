package dev.archipelago.trainer.data;

/** Why a sample was skipped instead of trained on. */
public enum SkipReason {
  /** The sample has no png/jpg part (e.g. a stray text file in the shard). */
  NO_IMAGE,
  /** The image bytes could not be decoded. */
  UNDECODABLE_IMAGE,
  /** The sample lacks the {@code .npy} part a latent or embedding run reads. */
  NO_TENSOR,
  /** The {@code .npy} part is not a float array of the expected shape. */
  BAD_TENSOR,
  /** The {@code .cls} part is not an integer. */
  BAD_LABEL,
  /** The tar ended or broke inside the sample (a truncated or corrupt archive). */
  TRUNCATED_ENTRY,
  /** One part is larger than the reader accepts. */
  OVERSIZED_ENTRY,
  /** The whole shard could not be opened. */
  UNREADABLE_SHARD
}
