package dev.archipelago.api.contract;

/**
 * The router's held-out accuracy at one noise level: how often it names the expert whose cluster a
 * noisy sample came from. Accuracy falls as noise rises, which is why it is reported per level.
 *
 * @param noiseLevel diffusion time t in [0, 1], 1 being pure noise
 * @param accuracy fraction of correct picks, 0 to 1
 */
public record NoiseLevelAccuracy(double noiseLevel, double accuracy) {}
