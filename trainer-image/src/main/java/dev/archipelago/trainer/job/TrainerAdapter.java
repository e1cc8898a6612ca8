package dev.archipelago.trainer.job;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.archipelago.trainer.data.Sample;
import dev.archipelago.trainer.train.AdamW;
import dev.archipelago.trainer.train.ExponentialMovingAverage;
import dev.archipelago.trainer.train.FlowMatchingTrainer;
import dev.archipelago.trainer.train.RouterTrainer;
import java.util.List;
import java.util.function.ToIntFunction;

/** Presents the expert and router trainers to {@link TrainingLoop}. */
final class TrainerAdapter {
  private TrainerAdapter() {}

  static TrainingLoop.Trainer expert(FlowMatchingTrainer trainer) {
    return new TrainingLoop.Trainer() {
      @Override
      public float trainStep(List<Sample> batch) {
        return trainer.trainStep(batch);
      }

      @Override
      public long step() {
        return trainer.step();
      }

      @Override
      public void resumeAt(long step) {
        trainer.resumeAt(step);
      }

      @Override
      public PairList<String, Parameter> parameters() {
        return trainer.parameters();
      }

      @Override
      public AdamW optimizer() {
        return trainer.optimizer();
      }

      @Override
      public ExponentialMovingAverage ema() {
        return trainer.ema();
      }
    };
  }

  /**
   * @param clusterOf the cluster of a sample, from the partition's assignments
   */
  static TrainingLoop.Trainer router(RouterTrainer trainer, ToIntFunction<Sample> clusterOf) {
    return new TrainingLoop.Trainer() {
      @Override
      public float trainStep(List<Sample> batch) {
        return trainer.trainStep(batch, batch.stream().mapToInt(clusterOf).toArray());
      }

      @Override
      public long step() {
        return trainer.step();
      }

      @Override
      public void resumeAt(long step) {
        trainer.resumeAt(step);
      }

      @Override
      public PairList<String, Parameter> parameters() {
        return trainer.parameters();
      }

      @Override
      public AdamW optimizer() {
        return trainer.optimizer();
      }

      @Override
      public ExponentialMovingAverage ema() {
        return trainer.ema();
      }
    };
  }
}
