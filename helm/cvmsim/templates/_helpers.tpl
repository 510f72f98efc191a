{{/*
Chart name, truncated to 63 characters (the DNS label limit).
*/}}
{{- define "cvmsim.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: the release name, plus the chart name when the release name does not
already contain it; truncated to 63 characters.
*/}}
{{- define "cvmsim.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "cvmsim.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object.
*/}}
{{- define "cvmsim.labels" -}}
helm.sh/chart: {{ include "cvmsim.chart" . }}
{{ include "cvmsim.selectorLabels" . }}
app.kubernetes.io/version: {{ include "cvmsim.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cvmsim
{{- end }}

{{/*
Selector labels: stable across upgrades, so never add the version here.
*/}}
{{- define "cvmsim.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cvmsim.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Service account name: the created one, or the given existing one ("default" when neither).
*/}}
{{- define "cvmsim.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cvmsim.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image tag: image.tag, or the chart's appVersion when empty.
*/}}
{{- define "cvmsim.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/*
Full image reference.
*/}}
{{- define "cvmsim.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "cvmsim.imageTag" .) }}
{{- end }}

{{/*
JAVA_TOOL_OPTIONS: heap sized from the container memory limit, plus extra options.
*/}}
{{- define "cvmsim.javaToolOptions" -}}
{{- $opts := list (printf "-XX:MaxRAMPercentage=%v" .Values.jvm.maxRamPercentage) }}
{{- with .Values.jvm.extraOptions }}
{{- $opts = append $opts . }}
{{- end }}
{{- join " " $opts }}
{{- end }}

{{/*
Sweep: the first 12 hex digits of the sweep file's SHA-256 (cvmsim writes the whole hash into
every shard's header; the same file gives the same digits).
*/}}
{{- define "cvmsim.sweepHash" -}}
{{- required "sweep.file is required when sweep.enabled (e.g. --set-file sweep.file=examples/sweep-1000.yaml)" .Values.sweep.file | sha256sum | trunc 12 }}
{{- end }}

{{/*
Sweep: object names, "<fullname>-sweep-<hash>" within 63 characters.
*/}}
{{- define "cvmsim.sweepName" -}}
{{- printf "%s-sweep-%s" (include "cvmsim.fullname" . | trunc 37 | trimSuffix "-") (include "cvmsim.sweepHash" .) }}
{{- end }}

{{/*
Sweep: the claim the rows go to.
*/}}
{{- define "cvmsim.sweepClaim" -}}
{{- .Values.sweep.persistence.existingClaim | default (printf "%s-sweep" (include "cvmsim.fullname" .)) }}
{{- end }}

{{/*
Sweep: the directory of this sweep file on the volume (per release and file hash), so that a
changed file never meets the shards of an older one.
*/}}
{{- define "cvmsim.sweepDir" -}}
{{- printf "/data/%s/%s" .Release.Name (include "cvmsim.sweepHash" .) }}
{{- end }}

{{/*
Sweep: pod labels. Not the Deployment's selector labels, so the Service and the
PodDisruptionBudget never select sweep pods.
*/}}
{{- define "cvmsim.sweepPodLabels" -}}
app.kubernetes.io/name: {{ include "cvmsim.name" . }}-sweep
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: cvmsim
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Sweep: what every sweep pod shares (service account, security context, placement).
*/}}
{{- define "cvmsim.sweepPodSpec" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
serviceAccountName: {{ include "cvmsim.serviceAccountName" . }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Sweep: the environment of cvmsim in sweep pods: the service's application.yaml (so the same
cvmsim.limits apply) and the JVM options.
*/}}
{{- define "cvmsim.sweepEnv" -}}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: optional:file:/config/
- name: JAVA_TOOL_OPTIONS
  value: {{ include "cvmsim.javaToolOptions" . | quote }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Sweep: volume mounts of cvmsim in sweep pods.
*/}}
{{- define "cvmsim.sweepMounts" -}}
- name: tmp
  mountPath: /tmp
- name: config
  mountPath: /config
  readOnly: true
- name: sweep
  mountPath: /sweep
  readOnly: true
- name: data
  mountPath: /data
{{- end }}

{{/*
Sweep: volumes of sweep pods.
*/}}
{{- define "cvmsim.sweepVolumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
- name: config
  configMap:
    name: {{ include "cvmsim.fullname" . }}
- name: sweep
  configMap:
    name: {{ include "cvmsim.sweepName" . }}
- name: data
  persistentVolumeClaim:
    claimName: {{ include "cvmsim.sweepClaim" . }}
{{- end }}

{{/*
The PersistentVolumeClaim of the state directory: the existing one, or the chart's.
*/}}
{{- define "cvmsim.stateClaim" -}}
{{- if .Values.persistence.existingClaim -}}
{{- .Values.persistence.existingClaim -}}
{{- else -}}
{{- printf "%s-state" (include "cvmsim.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
