{{/* Chart name, truncated to the 63 characters Kubernetes allows in a label value. */}}
{{- define "appliance.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified name: <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "appliance.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "appliance.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "appliance.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels; call with (dict "root" $ "component" "backend"). */}}
{{- define "appliance.selectorLabels" -}}
app.kubernetes.io/name: {{ include "appliance.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "appliance.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "appliance.secretName" -}}
{{- default (include "appliance.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "appliance.claimName" -}}
{{- default (printf "%s-data" (include "appliance.fullname" .)) .Values.persistence.existingClaim -}}
{{- end -}}

{{/* Does the pod serve HTTPS itself? Decides the probe scheme. */}}
{{- define "appliance.tlsInPod" -}}
{{- if or .Values.config.selfSigned .Values.config.tlsSecret -}}true{{- end -}}
{{- end -}}

{{/* Refuse combinations the backend would refuse at start-up, with the reason. */}}
{{- define "appliance.validate" -}}
{{- if and (not (include "appliance.tlsInPod" .)) (not .Values.config.behindProxy) -}}
{{- fail "config: set selfSigned: true, tlsSecret, or behindProxy: true (an ingress terminating TLS); plain HTTP is refused" -}}
{{- end -}}
{{- if and .Values.config.selfSigned .Values.config.tlsSecret -}}
{{- fail "config: selfSigned and tlsSecret exclude each other" -}}
{{- end -}}
{{- if and .Values.worker.enabled (not .Values.secrets.REDIS_URL) (not .Values.secrets.existingSecret) -}}
{{- fail "worker.enabled needs secrets.REDIS_URL (or secrets.existingSecret with REDIS_URL)" -}}
{{- end -}}
{{- end -}}

{{/* Environment, volumes and security shared by the backend and worker pods. */}}
{{- define "appliance.podEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "appliance.fullname" . }}
  - secretRef:
      name: {{ include "appliance.secretName" . }}
{{- end -}}

{{- define "appliance.volumes" -}}
volumes:
  - name: data
    {{- if .Values.persistence.enabled }}
    persistentVolumeClaim:
      claimName: {{ include "appliance.claimName" . }}
    {{- else }}
    emptyDir: {}
    {{- end }}
  - name: tmp
    emptyDir:
      medium: Memory
      sizeLimit: 64Mi
  {{- if .Values.config.tlsSecret }}
  - name: tls
    secret:
      secretName: {{ .Values.config.tlsSecret }}
      defaultMode: 0440
  {{- end }}
{{- end -}}

{{- define "appliance.volumeMounts" -}}
volumeMounts:
  - name: data
    mountPath: /data
  - name: tmp
    mountPath: /tmp
  {{- if .Values.config.tlsSecret }}
  - name: tls
    mountPath: /etc/appliance/tls
    readOnly: true
  {{- end }}
{{- end -}}

{{/* Restart pods when their configuration changes. */}}
{{- define "appliance.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end -}}
