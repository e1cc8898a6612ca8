package dev.archipelago.operator.run.policy;

import dev.archipelago.api.contract.ExitCodes;
import dev.archipelago.api.spec.ExitCodeAction;
import dev.archipelago.api.spec.ExitCodeRule;
import dev.archipelago.api.spec.FailurePolicySpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a run's failure policy into a Job podFailurePolicy, and reads a failed Job back.
 *
 * <p>Every rule is FailJob: the operator, not the Job controller, owns retries (each retry is a new
 * Job, so an attempt's history stays visible). The rules exist so that the Job's Failed condition
 * records WHY: the Job controller names the matching rule's index in its message, and that index
 * maps back to a {@link FailureKind}. The failed pod's own terminated state and conditions, which
 * the pod informer has, decide first; the Job controller's message is the fallback for pods that
 * vanished with their node (the Job's condition stays).
 */
public final class PodFailureRules {
  private static final Pattern RULE_INDEX = Pattern.compile("rule at index (\\d+)");
  private static final Pattern EXIT_CODE = Pattern.compile("exit code (\\d+)");
  private static final String DISRUPTION_TARGET = "DisruptionTarget";

  private final List<FailureKind> kindByRule = new ArrayList<>();
  private final PodFailurePolicy policy;
  private final TreeSet<Integer> permanent;

  public PodFailureRules(FailurePolicySpec spec) {
    permanent = permanentCodes(spec);
    PodFailurePolicyBuilder builder = new PodFailurePolicyBuilder();
    builder
        .addNewRule()
        .withAction("FailJob")
        .addNewOnPodCondition()
        .withType(DISRUPTION_TARGET)
        .withStatus("True")
        .endOnPodCondition()
        .endRule();
    kindByRule.add(FailureKind.DISRUPTION);
    builder
        .addNewRule()
        .withAction("FailJob")
        .withNewOnExitCodes()
        .withOperator("In")
        .withValues(ExitCodes.PREEMPTED)
        .endOnExitCodes()
        .endRule();
    kindByRule.add(FailureKind.PREEMPTED);
    if (!permanent.isEmpty()) {
      builder
          .addNewRule()
          .withAction("FailJob")
          .withNewOnExitCodes()
          .withOperator("In")
          .withValues(new ArrayList<>(permanent))
          .endOnExitCodes()
          .endRule();
      kindByRule.add(FailureKind.PERMANENT);
    }
    builder
        .addNewRule()
        .withAction("FailJob")
        .withNewOnExitCodes()
        .withOperator("NotIn")
        .withValues(ExitCodes.OK)
        .endOnExitCodes()
        .endRule();
    kindByRule.add(FailureKind.RETRYABLE);
    this.policy = builder.build();
  }

  public PodFailurePolicy podFailurePolicy() {
    return policy;
  }

  /**
   * For Jobs whose retries the Job controller owns (partition, router): disruptions and preemptions
   * are ignored (the pod is replaced without counting), permanent codes fail the Job at once,
   * anything else counts against the Job's backoffLimit.
   */
  public static PodFailurePolicy jobControllerRetries(FailurePolicySpec spec) {
    PodFailurePolicyBuilder builder = new PodFailurePolicyBuilder();
    builder
        .addNewRule()
        .withAction("Ignore")
        .addNewOnPodCondition()
        .withType(DISRUPTION_TARGET)
        .withStatus("True")
        .endOnPodCondition()
        .endRule()
        .addNewRule()
        .withAction("Ignore")
        .withNewOnExitCodes()
        .withOperator("In")
        .withValues(ExitCodes.PREEMPTED)
        .endOnExitCodes()
        .endRule();
    TreeSet<Integer> permanent = permanentCodes(spec);
    if (!permanent.isEmpty()) {
      builder
          .addNewRule()
          .withAction("FailJob")
          .withNewOnExitCodes()
          .withOperator("In")
          .withValues(new ArrayList<>(permanent))
          .endOnExitCodes()
          .endRule();
    }
    return builder.build();
  }

  /** The Job's failure from its condition alone, or empty while it has not failed. */
  public Optional<JobFailure> classify(Job job) {
    return classify(job, null);
  }

  /**
   * The Job's failure, or empty while it has not failed: from its failed pod when the pod is still
   * there, else from the Job controller's message.
   *
   * @param pod the Job's newest pod, or null when it is gone
   */
  public Optional<JobFailure> classify(Job job, Pod pod) {
    Optional<JobCondition> failed = failedCondition(job);
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    String message = failed.get().getMessage() == null ? "" : failed.get().getMessage();
    String reason = failed.get().getReason() == null ? "Failed" : failed.get().getReason();
    Optional<JobFailure> fromPod = fromPod(pod, reason + ": " + message);
    if (fromPod.isPresent()) {
      return fromPod;
    }
    OptionalInt exitCode = find(EXIT_CODE, message);
    OptionalInt rule = find(RULE_INDEX, message);
    FailureKind kind;
    if (rule.isPresent() && rule.getAsInt() < kindByRule.size()) {
      kind = kindByRule.get(rule.getAsInt());
    } else if (message.contains(DISRUPTION_TARGET)) {
      kind = FailureKind.DISRUPTION;
    } else {
      // BackoffLimitExceeded without a matching rule, DeadlineExceeded, ...: worth another try.
      kind = FailureKind.RETRYABLE;
    }
    return Optional.of(new JobFailure(kind, exitCode, reason + ": " + message));
  }

  /** What the pod says: a DisruptionTarget condition, or its trainer container's exit code. */
  private Optional<JobFailure> fromPod(Pod pod, String detail) {
    if (pod == null || pod.getStatus() == null) {
      return Optional.empty();
    }
    boolean disrupted =
        pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(
                    c -> DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()));
    if (disrupted) {
      return Optional.of(new JobFailure(FailureKind.DISRUPTION, OptionalInt.empty(), detail));
    }
    boolean deleted = pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
    if (pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> s.getState() != null && s.getState().getTerminated() != null)
        .map(s -> s.getState().getTerminated().getExitCode())
        .filter(code -> code != null && code != ExitCodes.OK)
        .findFirst()
        .map(code -> new JobFailure(kindOf(code, deleted), OptionalInt.of(code), detail));
  }

  /**
   * A pod deleted while it ran was stopped from outside (a queue's preemption suspends its Job and
   * the pod is deleted; a drain; kubectl delete): a disruption, whatever code the kill left, unless
   * the trainer checkpointed and said so (75).
   */
  private FailureKind kindOf(int code, boolean deleted) {
    if (code == ExitCodes.PREEMPTED) {
      return FailureKind.PREEMPTED;
    }
    if (deleted) {
      return FailureKind.DISRUPTION;
    }
    return permanent.contains(code) ? FailureKind.PERMANENT : FailureKind.RETRYABLE;
  }

  public static boolean succeeded(Job job) {
    return hasTrueCondition(job, "Complete");
  }

  /**
   * Succeeded by its Job, or already by its pod: a single-pod task whose trainer exited 0 is done
   * (the contract has it write its outputs first). The Job controller batches pod updates for about
   * a second before marking the Job Complete; the run's next step need not wait for that.
   */
  public static boolean succeeded(Job job, Pod pod) {
    return succeeded(job)
        || (pod != null
            && pod.getStatus() != null
            && "Succeeded".equals(pod.getStatus().getPhase())
            && job.getMetadata().getUid() != null
            && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> job.getMetadata().getUid().equals(o.getUid())));
  }

  public static boolean failed(Job job) {
    return failedCondition(job).isPresent();
  }

  private static Optional<JobCondition> failedCondition(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static boolean hasTrueCondition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Contract defaults, then the run's rules: Fail adds a code, Retry removes it. */
  static TreeSet<Integer> permanentCodes(FailurePolicySpec spec) {
    TreeSet<Integer> codes = new TreeSet<>();
    for (int code = 1; code < 256; code++) {
      if (ExitCodes.isPermanent(code)) {
        codes.add(code);
      }
    }
    if (spec.getExitCodeRules() != null) {
      for (ExitCodeRule rule : spec.getExitCodeRules()) {
        if (rule.getAction() == ExitCodeAction.Fail) {
          codes.addAll(rule.getExitCodes());
        } else {
          codes.removeAll(rule.getExitCodes());
        }
      }
    }
    codes.remove(ExitCodes.OK);
    codes.remove(ExitCodes.PREEMPTED);
    return codes;
  }

  private static OptionalInt find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }
}
