"""Protobuf field tables of the built-in types that typed clients may POST or PUT.

Numbers come from the `generated.proto` files of k8s.io/api and k8s.io/apimachinery; they never
change once released, so a table written against one release decodes all later ones (newer
fields are skipped). KEEP marks Go pointer fields, whose zero value is meaningful
(`replicas: 0`). Only what `kubectl create <kind>` and ordinary manifests use is listed.
"""

from __future__ import annotations

from dataclasses import dataclass

STRING, INT, BOOL, BYTES = "string", "int", "bool", "bytes"
TIME, QUANTITY, INT_OR_STRING, FIELDS_V1 = "Time", "Quantity", "IntOrString", "FieldsV1"
REPEATED, MAP, KEEP, INLINE = "repeated", "map", "keep", "inline"


@dataclass(frozen=True)
class Field:
    json: str
    kind: str
    repeated: bool = False
    is_map: bool = False
    keep: bool = False
    inline: bool = False  # an embedded Go struct (`json:",inline"`): its fields join the parent's


def _message(*fields: tuple) -> dict[int, Field]:
    table = {}
    for number, json_name, kind, *flags in fields:
        table[number] = Field(json_name, kind, REPEATED in flags, MAP in flags, KEEP in flags, INLINE in flags)
    return table


MESSAGES: dict[str, dict[int, Field]] = {
    "ObjectMeta": _message(
        (1, "name", STRING), (2, "generateName", STRING), (3, "namespace", STRING),
        (5, "uid", STRING), (6, "resourceVersion", STRING), (7, "generation", INT),
        (8, "creationTimestamp", TIME), (9, "deletionTimestamp", TIME),
        (10, "deletionGracePeriodSeconds", INT, KEEP), (11, "labels", STRING, MAP),
        (12, "annotations", STRING, MAP), (13, "ownerReferences", "OwnerReference", REPEATED),
        (14, "finalizers", STRING, REPEATED), (17, "managedFields", "ManagedFieldsEntry", REPEATED)),
    "OwnerReference": _message(
        (1, "kind", STRING), (3, "name", STRING), (4, "uid", STRING), (5, "apiVersion", STRING),
        (6, "controller", BOOL, KEEP), (7, "blockOwnerDeletion", BOOL, KEEP)),
    "ManagedFieldsEntry": _message(
        (1, "manager", STRING), (2, "operation", STRING), (3, "apiVersion", STRING),
        (4, "time", TIME), (6, "fieldsType", STRING), (7, "fieldsV1", FIELDS_V1),
        (8, "subresource", STRING)),
    "LabelSelector": _message(
        (1, "matchLabels", STRING, MAP), (2, "matchExpressions", "LabelSelectorRequirement", REPEATED)),
    "LabelSelectorRequirement": _message(
        (1, "key", STRING), (2, "operator", STRING), (3, "values", STRING, REPEATED)),
    "Empty": {},
    "DeleteOptions": _message(
        (1, "gracePeriodSeconds", INT, KEEP), (2, "preconditions", "Preconditions"),
        (3, "orphanDependents", BOOL, KEEP), (4, "propagationPolicy", STRING, KEEP),
        (5, "dryRun", STRING, REPEATED),
        (6, "ignoreStoreReadErrorWithClusterBreakingPotential", BOOL, KEEP)),
    "Preconditions": _message((1, "uid", STRING, KEEP), (2, "resourceVersion", STRING, KEEP)),
    # authorization.k8s.io/v1 and authentication.k8s.io/v1: the self reviews
    "SelfSubjectAccessReview": _message((1, "metadata", "ObjectMeta"), (2, "spec", "SelfSubjectAccessReviewSpec")),
    "SelfSubjectAccessReviewSpec": _message(
        (1, "resourceAttributes", "ResourceAttributes"), (2, "nonResourceAttributes", "NonResourceAttributes")),
    "ResourceAttributes": _message(
        (1, "namespace", STRING), (2, "verb", STRING), (3, "group", STRING), (4, "version", STRING),
        (5, "resource", STRING), (6, "subresource", STRING), (7, "name", STRING)),
    "NonResourceAttributes": _message((1, "path", STRING), (2, "verb", STRING)),
    "SelfSubjectRulesReview": _message((1, "metadata", "ObjectMeta"), (2, "spec", "SelfSubjectRulesReviewSpec")),
    "SelfSubjectRulesReviewSpec": _message((1, "namespace", STRING)),
    "SelfSubjectReview": _message((1, "metadata", "ObjectMeta")),
    # policy/v1
    "Eviction": _message((1, "metadata", "ObjectMeta"), (2, "deleteOptions", "DeleteOptions")),
    # core/v1
    "Namespace": _message((1, "metadata", "ObjectMeta"), (2, "spec", "NamespaceSpec")),
    "NamespaceSpec": _message((1, "finalizers", STRING, REPEATED)),
    "ConfigMap": _message(
        (1, "metadata", "ObjectMeta"), (2, "data", STRING, MAP), (3, "binaryData", BYTES, MAP),
        (4, "immutable", BOOL, KEEP)),
    "Service": _message((1, "metadata", "ObjectMeta"), (2, "spec", "ServiceSpec")),
    "ServiceSpec": _message(
        (1, "ports", "ServicePort", REPEATED), (2, "selector", STRING, MAP),
        (3, "clusterIP", STRING), (4, "type", STRING), (5, "externalIPs", STRING, REPEATED),
        (7, "sessionAffinity", STRING), (8, "loadBalancerIP", STRING),
        (9, "loadBalancerSourceRanges", STRING, REPEATED), (10, "externalName", STRING),
        (11, "externalTrafficPolicy", STRING), (12, "healthCheckNodePort", INT),
        (13, "publishNotReadyAddresses", BOOL), (17, "ipFamilyPolicy", STRING),
        (18, "clusterIPs", STRING, REPEATED), (19, "ipFamilies", STRING, REPEATED),
        (20, "allocateLoadBalancerNodePorts", BOOL, KEEP), (21, "loadBalancerClass", STRING),
        (22, "internalTrafficPolicy", STRING)),
    "ServicePort": _message(
        (1, "name", STRING), (2, "protocol", STRING), (3, "port", INT),
        (4, "targetPort", INT_OR_STRING), (5, "nodePort", INT), (6, "appProtocol", STRING)),
    "Pod": _message((1, "metadata", "ObjectMeta"), (2, "spec", "PodSpec")),
    "PodTemplateSpec": _message((1, "metadata", "ObjectMeta"), (2, "spec", "PodSpec")),
    "PodSpec": _message(
        (2, "containers", "Container", REPEATED), (3, "restartPolicy", STRING),
        (4, "terminationGracePeriodSeconds", INT, KEEP), (5, "activeDeadlineSeconds", INT, KEEP),
        (6, "dnsPolicy", STRING), (7, "nodeSelector", STRING, MAP),
        (8, "serviceAccountName", STRING), (9, "serviceAccount", STRING), (10, "nodeName", STRING),
        (11, "hostNetwork", BOOL), (12, "hostPID", BOOL), (13, "hostIPC", BOOL),
        (14, "securityContext", "Empty"), (15, "imagePullSecrets", "LocalObjectReference", REPEATED),
        (16, "hostname", STRING), (17, "subdomain", STRING), (19, "schedulerName", STRING),
        (20, "initContainers", "Container", REPEATED),
        (21, "automountServiceAccountToken", BOOL, KEEP), (22, "tolerations", "Toleration", REPEATED),
        (24, "priorityClassName", STRING), (25, "priority", INT, KEEP),
        (30, "enableServiceLinks", BOOL, KEEP), (31, "preemptionPolicy", STRING),
        (1, "volumes", "Volume", REPEATED)),
    "Volume": _message((1, "name", STRING), (2, "", "VolumeSource", INLINE)),
    "VolumeSource": _message(
        (1, "hostPath", "HostPathVolumeSource"), (2, "emptyDir", "EmptyDirVolumeSource"),
        (6, "secret", "SecretVolumeSource"), (10, "persistentVolumeClaim", "PersistentVolumeClaimVolumeSource"),
        (19, "configMap", "ConfigMapVolumeSource")),
    "HostPathVolumeSource": _message((1, "path", STRING), (2, "type", STRING)),
    "EmptyDirVolumeSource": _message((1, "medium", STRING), (2, "sizeLimit", QUANTITY)),
    "SecretVolumeSource": _message(
        (1, "secretName", STRING), (2, "items", "KeyToPath", REPEATED), (3, "defaultMode", INT, KEEP),
        (4, "optional", BOOL, KEEP)),
    "ConfigMapVolumeSource": _message(
        (1, "", "LocalObjectReference", INLINE), (2, "items", "KeyToPath", REPEATED),
        (3, "defaultMode", INT, KEEP), (4, "optional", BOOL, KEEP)),
    "KeyToPath": _message((1, "key", STRING), (2, "path", STRING), (3, "mode", INT, KEEP)),
    "PersistentVolumeClaimVolumeSource": _message((1, "claimName", STRING), (2, "readOnly", BOOL)),
    "VolumeMount": _message(
        (1, "name", STRING), (2, "readOnly", BOOL), (3, "mountPath", STRING), (4, "subPath", STRING),
        (5, "mountPropagation", STRING), (6, "subPathExpr", STRING), (7, "recursiveReadOnly", STRING)),
    "EnvVarSource": _message(
        (1, "fieldRef", "ObjectFieldSelector"), (2, "resourceFieldRef", "ResourceFieldSelector"),
        (3, "configMapKeyRef", "KeySelector"), (4, "secretKeyRef", "KeySelector")),
    "ObjectFieldSelector": _message((1, "apiVersion", STRING), (2, "fieldPath", STRING)),
    "ResourceFieldSelector": _message((1, "containerName", STRING), (2, "resource", STRING), (3, "divisor", QUANTITY)),
    "KeySelector": _message(  # ConfigMapKeySelector and SecretKeySelector share their numbers
        (1, "", "LocalObjectReference", INLINE), (2, "key", STRING), (3, "optional", BOOL, KEEP)),
    "EnvFromSource": _message((1, "prefix", STRING), (2, "configMapRef", "EnvSource"), (3, "secretRef", "EnvSource")),
    "EnvSource": _message((1, "", "LocalObjectReference", INLINE), (2, "optional", BOOL, KEEP)),
    "Probe": _message(
        (1, "", "ProbeHandler", INLINE), (2, "initialDelaySeconds", INT), (3, "timeoutSeconds", INT),
        (4, "periodSeconds", INT), (5, "successThreshold", INT), (6, "failureThreshold", INT),
        (7, "terminationGracePeriodSeconds", INT, KEEP)),
    "ProbeHandler": _message(
        (1, "exec", "ExecAction"), (2, "httpGet", "HTTPGetAction"), (3, "tcpSocket", "TCPSocketAction")),
    "ExecAction": _message((1, "command", STRING, REPEATED)),
    "HTTPGetAction": _message(
        (1, "path", STRING), (2, "port", INT_OR_STRING), (3, "host", STRING), (4, "scheme", STRING),
        (5, "httpHeaders", "HTTPHeader", REPEATED)),
    "HTTPHeader": _message((1, "name", STRING), (2, "value", STRING)),
    "TCPSocketAction": _message((1, "port", INT_OR_STRING), (2, "host", STRING)),
    "LocalObjectReference": _message((1, "name", STRING)),
    "Toleration": _message(
        (1, "key", STRING), (2, "operator", STRING), (3, "value", STRING), (4, "effect", STRING),
        (5, "tolerationSeconds", INT, KEEP)),
    "Container": _message(
        (1, "name", STRING), (2, "image", STRING), (3, "command", STRING, REPEATED),
        (4, "args", STRING, REPEATED), (5, "workingDir", STRING),
        (6, "ports", "ContainerPort", REPEATED), (7, "env", "EnvVar", REPEATED),
        (8, "resources", "ResourceRequirements"), (13, "terminationMessagePath", STRING),
        (14, "imagePullPolicy", STRING), (16, "stdin", BOOL), (17, "stdinOnce", BOOL),
        (18, "tty", BOOL), (20, "terminationMessagePolicy", STRING), (24, "restartPolicy", STRING),
        (9, "volumeMounts", "VolumeMount", REPEATED), (10, "livenessProbe", "Probe"),
        (11, "readinessProbe", "Probe"), (19, "envFrom", "EnvFromSource", REPEATED),
        (22, "startupProbe", "Probe")),
    "ContainerPort": _message(
        (1, "name", STRING), (2, "hostPort", INT), (3, "containerPort", INT),
        (4, "protocol", STRING), (5, "hostIP", STRING)),
    "EnvVar": _message((1, "name", STRING), (2, "value", STRING), (3, "valueFrom", "EnvVarSource")),
    "ResourceRequirements": _message((1, "limits", QUANTITY, MAP), (2, "requests", QUANTITY, MAP)),
    # apps/v1
    "Deployment": _message((1, "metadata", "ObjectMeta"), (2, "spec", "DeploymentSpec")),
    "DeploymentSpec": _message(
        (1, "replicas", INT, KEEP), (2, "selector", "LabelSelector"), (3, "template", "PodTemplateSpec"),
        (4, "strategy", "DeploymentStrategy"), (5, "minReadySeconds", INT),
        (6, "revisionHistoryLimit", INT, KEEP), (7, "paused", BOOL),
        (9, "progressDeadlineSeconds", INT, KEEP)),
    "DeploymentStrategy": _message((1, "type", STRING), (2, "rollingUpdate", "RollingUpdateDeployment")),
    "RollingUpdateDeployment": _message(
        (1, "maxUnavailable", INT_OR_STRING, KEEP), (2, "maxSurge", INT_OR_STRING, KEEP)),
    "ReplicaSet": _message((1, "metadata", "ObjectMeta"), (2, "spec", "ReplicaSetSpec")),
    "ReplicaSetSpec": _message(
        (1, "replicas", INT, KEEP), (2, "selector", "LabelSelector"), (3, "template", "PodTemplateSpec"),
        (4, "minReadySeconds", INT)),
    # core/v1: what `kubectl create secret|serviceaccount` sends
    "Secret": _message(
        (1, "metadata", "ObjectMeta"), (2, "data", BYTES, MAP), (3, "type", STRING),
        (4, "stringData", STRING, MAP), (5, "immutable", BOOL, KEEP)),
    "ServiceAccount": _message(
        (1, "metadata", "ObjectMeta"), (2, "secrets", "ObjectReference", REPEATED),
        (3, "imagePullSecrets", "LocalObjectReference", REPEATED),
        (4, "automountServiceAccountToken", BOOL, KEEP)),
    "ObjectReference": _message(
        (1, "kind", STRING), (2, "namespace", STRING), (3, "name", STRING), (4, "uid", STRING),
        (5, "apiVersion", STRING), (6, "resourceVersion", STRING), (7, "fieldPath", STRING)),
    # batch/v1: `kubectl create job|cronjob`, and `create job --from=cronjob/x`
    "Job": _message((1, "metadata", "ObjectMeta"), (2, "spec", "JobSpec")),
    "JobSpec": _message(
        (1, "parallelism", INT, KEEP), (2, "completions", INT, KEEP), (3, "activeDeadlineSeconds", INT, KEEP),
        (4, "selector", "LabelSelector"), (5, "manualSelector", BOOL, KEEP), (6, "template", "PodTemplateSpec"),
        (7, "backoffLimit", INT, KEEP), (8, "ttlSecondsAfterFinished", INT, KEEP),
        (9, "completionMode", STRING), (10, "suspend", BOOL, KEEP), (12, "backoffLimitPerIndex", INT, KEEP),
        (13, "maxFailedIndexes", INT, KEEP), (14, "podReplacementPolicy", STRING), (15, "managedBy", STRING)),
    "CronJob": _message((1, "metadata", "ObjectMeta"), (2, "spec", "CronJobSpec")),
    "CronJobSpec": _message(
        (1, "schedule", STRING), (2, "startingDeadlineSeconds", INT, KEEP), (3, "concurrencyPolicy", STRING),
        (4, "suspend", BOOL, KEEP), (5, "jobTemplate", "JobTemplateSpec"),
        (6, "successfulJobsHistoryLimit", INT, KEEP), (7, "failedJobsHistoryLimit", INT, KEEP),
        (8, "timeZone", STRING)),
    "JobTemplateSpec": _message((1, "metadata", "ObjectMeta"), (2, "spec", "JobSpec")),
}

# Top-level kinds → their message. Status fields are not decoded: a create resets them.
KINDS = {kind: kind for kind in ("Namespace", "ConfigMap", "Service", "Pod", "Deployment", "ReplicaSet",
                                 "Secret", "ServiceAccount", "Job", "CronJob",
                                 "Eviction", "DeleteOptions", "SelfSubjectAccessReview",
                                 "SelfSubjectRulesReview", "SelfSubjectReview")}
