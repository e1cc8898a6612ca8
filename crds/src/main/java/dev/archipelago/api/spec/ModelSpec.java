package dev.archipelago.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** The architecture every expert shares: a DiT preset or an explicit layout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.preset) != has(self.depth)",
    message = "spec.model must set either spec.model.preset or spec.model.depth/width/heads")
@ValidationRule(
    value = "has(self.depth) == has(self.width) && has(self.width) == has(self.heads)",
    message = "spec.model.depth, spec.model.width and spec.model.heads must be set together")
@ValidationRule(
    value = "!has(self.width) || !has(self.heads) || self.width % self.heads == 0",
    fieldPath = ".width",
    message = "spec.model.width must be a multiple of spec.model.heads")
@ValidationRule(
    value = "self.conditioning != 'class' || has(self.numClasses)",
    fieldPath = ".numClasses",
    message = "spec.model.numClasses is required when spec.model.conditioning is class")
public class ModelSpec {
  /**
   * The most tokens a DiT is admitted with, (input side / patch)²: 64 × 64, a 512 px latent run at
   * patch 1 or 256 px pixels at patch 4. Attention memory grows with its square.
   */
  public static final int MAX_TOKENS = 4096;

  @JsonPropertyDescription(
      "DiT size: tiny (tests), S, B, L or XL, all with patch size 2. Mutually exclusive with"
          + " depth/width/heads; no default, so that the size is always a deliberate choice.")
  private ModelPreset preset;

  @Min(1)
  @Max(48)
  @JsonPropertyDescription("Transformer blocks, for an explicit layout (with width and heads).")
  private Integer depth;

  @Min(32)
  @Max(4096)
  @JsonPropertyDescription("Hidden size, for an explicit layout; a multiple of heads.")
  private Integer width;

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Attention heads, for an explicit layout.")
  private Integer heads;

  @Default("2")
  @Min(1)
  @Max(8)
  @JsonPropertyDescription(
      "Patch side in pixels; must divide spec.dataset.imageSize (spec.dataset.latents.size for"
          + " latents), and (size / patch)^2 tokens must be at most 4096. Default 2 (the presets'"
          + " value).")
  private Integer patchSize = 2;

  @Default("none")
  @JsonPropertyDescription(
      "none (default): unconditional. class: class-conditional, labels from"
          + " spec.dataset.labelKey; needs numClasses.")
  private Conditioning conditioning = Conditioning.NONE;

  @Min(2)
  @Max(100000)
  @JsonPropertyDescription("Number of classes, required when conditioning is class.")
  private Integer numClasses;

  public ModelPreset getPreset() {
    return preset;
  }

  public void setPreset(ModelPreset preset) {
    this.preset = preset;
  }

  public Integer getDepth() {
    return depth;
  }

  public void setDepth(Integer depth) {
    this.depth = depth;
  }

  public Integer getWidth() {
    return width;
  }

  public void setWidth(Integer width) {
    this.width = width;
  }

  public Integer getHeads() {
    return heads;
  }

  public void setHeads(Integer heads) {
    this.heads = heads;
  }

  public Integer getPatchSize() {
    return patchSize;
  }

  public void setPatchSize(Integer patchSize) {
    this.patchSize = patchSize;
  }

  public Conditioning getConditioning() {
    return conditioning;
  }

  public void setConditioning(Conditioning conditioning) {
    this.conditioning = conditioning;
  }

  public Integer getNumClasses() {
    return numClasses;
  }

  public void setNumClasses(Integer numClasses) {
    this.numClasses = numClasses;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec that
        && Objects.equals(preset, that.preset)
        && Objects.equals(depth, that.depth)
        && Objects.equals(width, that.width)
        && Objects.equals(heads, that.heads)
        && Objects.equals(patchSize, that.patchSize)
        && Objects.equals(conditioning, that.conditioning)
        && Objects.equals(numClasses, that.numClasses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(preset, depth, width, heads, patchSize, conditioning, numClasses);
  }
}
