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
