{{/* Names and labels shared by every object of the release. */}}

{{- define "archipelago.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "archipelago.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "archipelago.selectorLabels" -}}
app.kubernetes.io/name: {{ include "archipelago.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "archipelago.labels" -}}
{{ include "archipelago.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: archipelago
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "archipelago.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "archipelago.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "archipelago.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Leader election is on whenever more than one replica could reconcile at once. */}}
{{- define "archipelago.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicas) 1) -}}true{{- else -}}false{{- end -}}
{{- end -}}

{{/*
RBAC, verb by verb, from what the operator calls (see the chart README). No wildcards.
Rules on cluster-scoped objects: they always need a ClusterRole.
*/}}
{{- define "archipelago.clusterScopedRules" -}}
# ComputeIsland status is kept current from a Node informer.
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list, watch]
- apiGroups: [archipelago.dev]
  resources: [computeislands]
  verbs: [get, list, watch, patch, update]
- apiGroups: [archipelago.dev]
  resources: [computeislands/status]
  verbs: [patch, update]
{{- end -}}

{{/* Rules in the namespaces where DDMRuns live: a ClusterRole or one Role per namespace. */}}
{{- define "archipelago.namespacedRules" -}}
# Runs: read, finalizer (storage cleanup) and status.
- apiGroups: [archipelago.dev]
  resources: [ddmruns]
  verbs: [get, list, watch, patch, update]
- apiGroups: [archipelago.dev]
  resources: [ddmruns/status]
  verbs: [patch, update]
# Children carry owner references with blockOwnerDeletion.
- apiGroups: [archipelago.dev]
  resources: [ddmruns/finalizers]
  verbs: [update]
# Partition, expert and router Jobs (server-side applied, retried by deleting).
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, patch, update, delete]
# Trainer pods are only observed: placement, exit codes, disruptions.
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
# Run config ConfigMap and inference Service.
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [get, list, watch, create, patch, update, delete]
# Inference Deployments.
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch, update, delete]
# A PodDisruptionBudget per inference Deployment.
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, patch, update, delete]
# Per-run NetworkPolicy isolating training pods.
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [get, list, watch, create, patch, update, delete]
# Events on runs.
- apiGroups: [""]
  resources: [events]
  verbs: [create]
# The S3 credentials Secret named by a run, to read progress objects.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end -}}
