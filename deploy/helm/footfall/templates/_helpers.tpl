{{- define "footfall.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "footfall.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "footfall.labels" -}}
{{ include "footfall.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "footfall.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-env" (include "footfall.fullname" .)) -}}
{{- end -}}

{{/*
The collector's config file: the user's `config` with the keys the chart depends on laid over it,
so the probes, ports, volume and grace period always agree with what the collector runs.
*/}}
{{- define "footfall.config" -}}
{{- $managed := dict
  "dataDir" "/data"
  "server" (dict
    "host" "0.0.0.0"
    "port" (int .Values.port)
    "trustProxies" .Values.trustProxies
    "shutdownDelay" (printf "%ds" (int .Values.shutdown.delaySeconds))
    "shutdownTimeout" (printf "%ds" (int .Values.shutdown.timeoutSeconds)))
  "admin" (dict "enabled" true "host" "0.0.0.0" "port" (int .Values.adminPort)) -}}
{{- toYaml (mergeOverwrite (deepCopy .Values.config) $managed) -}}
{{- end -}}
