"""A small type table for the built-in kinds the local cluster serves.

One table answers three questions: how strategic merge patch merges a list (patchMergeKey,
patchStrategy, retainKeys), how server-side apply identifies list items and atomic parts
(x-kubernetes-list-type/-map-keys, structType=atomic), and what Go type a JSON value must
decode into (for the apiserver's `cannot unmarshal` and strict unknown-field errors).
Key decision: types we do not list every field of are `open` (unknown fields allowed), so a
valid manifest using a field we forgot is never rejected; the common ones are `closed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scalar:
    go_type: str  # "string", "int32", "int64", "bool", "float64", "intstr.IntOrString", ...


@dataclass(frozen=True)
class Struct:
    name: str  # key into STRUCTS


@dataclass(frozen=True)
class MapOf:
    value: object
    atomic: bool = False


@dataclass(frozen=True)
class ListOf:
    item: object
    keys: tuple = ()  # SSA list-map keys
    smp_key: str = ""  # strategic merge patchMergeKey
    merge: bool = False  # patchStrategy merge (lists of maps with smp_key, or primitive sets)
    is_set: bool = False  # SSA list-type set
    retain_keys: bool = False  # patchStrategy retainKeys on the items
    key_defaults: tuple = ()  # SSA key defaults, e.g. (("protocol", "TCP"),)

    @property
    def associative(self) -> bool:
        return bool(self.keys)


@dataclass(frozen=True)
class StructDef:
    go_name: str
    fields: dict
    closed: bool = True
    atomic: bool = False
    retain_keys: tuple = field(default=())  # fields carrying patchStrategy retainKeys


ANY = Scalar("any")  # untyped subtree: anything decodes, lists atomic, maps granular
STR, I32, I64, BOOL, F64 = Scalar("string"), Scalar("int32"), Scalar("int64"), Scalar("bool"), Scalar("float64")
INTSTR, QTY, TIME, BYTES = Scalar("intstr.IntOrString"), Scalar("resource.Quantity"), Scalar("v1.Time"), Scalar("[]uint8")
STRMAP = MapOf(STR)


def S(name: str) -> Struct:  # noqa: N802 - reads like a type in the table
    return Struct(name)


def keyed(name: str, *keys: str, smp_key: str = "", defaults: tuple = (), retain: bool = False) -> ListOf:
    return ListOf(S(name), keys=keys, smp_key=smp_key or keys[0], merge=True, retain_keys=retain,
                  key_defaults=defaults)


def atomic(item) -> ListOf:
    return ListOf(item)


def str_set(merge: bool = True) -> ListOf:
    return ListOf(STR, merge=merge, is_set=True)


TCP = (("protocol", "TCP"),)

_CONTAINER = {
    "name": STR, "image": STR, "command": atomic(STR), "args": atomic(STR), "workingDir": STR,
    "ports": keyed("ContainerPort", "containerPort", "protocol", defaults=TCP),
    "envFrom": atomic(S("Open")), "env": keyed("EnvVar", "name"), "resources": S("ResourceRequirements"),
    "resizePolicy": atomic(S("Open")), "restartPolicy": STR, "restartPolicyRules": atomic(S("Open")),
    "volumeMounts": keyed("VolumeMount", "mountPath"), "volumeDevices": keyed("Open", "devicePath"),
    "livenessProbe": S("Open"), "readinessProbe": S("Open"), "startupProbe": S("Open"), "lifecycle": S("Open"),
    "terminationMessagePath": STR, "terminationMessagePolicy": STR, "imagePullPolicy": STR,
    "securityContext": S("Open"), "stdin": BOOL, "stdinOnce": BOOL, "tty": BOOL,
}

STRUCTS: dict[str, StructDef] = {
    "Open": StructDef("v1.Object", {}, closed=False),
    "ObjectMeta": StructDef("v1.ObjectMeta", {
        "name": STR, "generateName": STR, "namespace": STR, "selfLink": STR, "uid": STR, "resourceVersion": STR,
        "generation": I64, "creationTimestamp": TIME, "deletionTimestamp": TIME, "deletionGracePeriodSeconds": I64,
        "labels": STRMAP, "annotations": STRMAP, "ownerReferences": keyed("OwnerReference", "uid"),
        "finalizers": str_set(), "managedFields": atomic(S("ManagedFieldsEntry")),
    }),
    "OwnerReference": StructDef("v1.OwnerReference", {
        "apiVersion": STR, "kind": STR, "name": STR, "uid": STR, "controller": BOOL, "blockOwnerDeletion": BOOL}),
    "ManagedFieldsEntry": StructDef("v1.ManagedFieldsEntry", {
        "manager": STR, "operation": STR, "apiVersion": STR, "time": TIME, "fieldsType": STR, "fieldsV1": ANY,
        "subresource": STR}),
    "Pod": StructDef("v1.Pod", {"apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta"), "spec": S("PodSpec"),
                                "status": S("PodStatus")}),
    "PodSpec": StructDef("v1.PodSpec", {
        "volumes": keyed("Volume", "name", retain=True), "initContainers": keyed("Container", "name"),
        "containers": keyed("Container", "name"), "ephemeralContainers": keyed("EphemeralContainer", "name"),
        "restartPolicy": STR, "terminationGracePeriodSeconds": I64, "activeDeadlineSeconds": I64, "dnsPolicy": STR,
        "nodeSelector": STRMAP, "serviceAccountName": STR, "serviceAccount": STR,
        "automountServiceAccountToken": BOOL, "nodeName": STR, "hostNetwork": BOOL, "hostPID": BOOL, "hostIPC": BOOL,
        "shareProcessNamespace": BOOL, "securityContext": S("Open"), "imagePullSecrets": keyed("LocalObjectReference", "name"),
        "hostname": STR, "subdomain": STR, "affinity": S("Open"), "schedulerName": STR,
        "tolerations": atomic(S("Toleration")), "hostAliases": keyed("HostAlias", "ip"), "priorityClassName": STR,
        "priority": I32, "dnsConfig": S("PodDNSConfig"), "readinessGates": atomic(S("Open")), "runtimeClassName": STR,
        "enableServiceLinks": BOOL, "preemptionPolicy": STR, "overhead": MapOf(QTY),
        "topologySpreadConstraints": keyed("Open", "topologyKey", "whenUnsatisfiable"), "setHostnameAsFQDN": BOOL,
        "os": S("Open"), "hostUsers": BOOL, "schedulingGates": keyed("Open", "name"),
        "resourceClaims": keyed("Open", "name", retain=True), "resources": S("ResourceRequirements"),
        "hostnameOverride": STR, "workloadRef": S("Open"),
    }),
    "PodStatus": StructDef("v1.PodStatus", {
        "conditions": keyed("Open", "type"), "podIPs": keyed("Open", "ip"), "hostIPs": keyed("Open", "ip"),
        "containerStatuses": atomic(S("Open")), "initContainerStatuses": atomic(S("Open")),
        "ephemeralContainerStatuses": atomic(S("Open")), "resourceClaimStatuses": keyed("Open", "name"),
    }, closed=False),
    "Container": StructDef("v1.Container", _CONTAINER),
    "EphemeralContainer": StructDef("v1.EphemeralContainer", {**_CONTAINER, "targetContainerName": STR}),
    "ContainerPort": StructDef("v1.ContainerPort", {
        "name": STR, "hostPort": I32, "containerPort": I32, "protocol": STR, "hostIP": STR}),
    "EnvVar": StructDef("v1.EnvVar", {"name": STR, "value": STR, "valueFrom": S("Open")}),
    "VolumeMount": StructDef("v1.VolumeMount", {
        "name": STR, "readOnly": BOOL, "recursiveReadOnly": STR, "mountPath": STR, "subPath": STR,
        "mountPropagation": STR, "subPathExpr": STR}),
    "ResourceRequirements": StructDef("v1.ResourceRequirements", {
        "limits": MapOf(QTY), "requests": MapOf(QTY), "claims": keyed("Open", "name")}),
    "Volume": StructDef("v1.Volume", {"name": STR}, closed=False),
    "LocalObjectReference": StructDef("v1.LocalObjectReference", {"name": STR}),
    "Toleration": StructDef("v1.Toleration", {
        "key": STR, "operator": STR, "value": STR, "effect": STR, "tolerationSeconds": I64}),
    "HostAlias": StructDef("v1.HostAlias", {"ip": STR, "hostnames": atomic(STR)}),
    "PodDNSConfig": StructDef("v1.PodDNSConfig", {
        "nameservers": atomic(STR), "searches": atomic(STR), "options": atomic(S("Open"))}),
    "PodTemplateSpec": StructDef("v1.PodTemplateSpec", {"metadata": S("ObjectMeta"), "spec": S("PodSpec")}),
    "LabelSelector": StructDef("v1.LabelSelector", {
        "matchLabels": STRMAP, "matchExpressions": atomic(S("LabelSelectorRequirement"))}, atomic=True),
    "LabelSelectorRequirement": StructDef("v1.LabelSelectorRequirement", {
        "key": STR, "operator": STR, "values": atomic(STR)}),
    "Deployment": StructDef("v1.Deployment", {
        "apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta"), "spec": S("DeploymentSpec"),
        "status": S("AppsStatus")}),
    "DeploymentSpec": StructDef("v1.DeploymentSpec", {
        "replicas": I32, "selector": S("LabelSelector"), "template": S("PodTemplateSpec"),
        "strategy": S("DeploymentStrategy"), "minReadySeconds": I32, "revisionHistoryLimit": I32, "paused": BOOL,
        "progressDeadlineSeconds": I32}, retain_keys=("strategy",)),
    "DeploymentStrategy": StructDef("v1.DeploymentStrategy", {"type": STR, "rollingUpdate": S("RollingUpdate")}),
    "RollingUpdate": StructDef("v1.RollingUpdateDeployment", {"maxUnavailable": INTSTR, "maxSurge": INTSTR}),
    "AppsStatus": StructDef("v1.DeploymentStatus", {"conditions": keyed("Open", "type")}, closed=False),
    "ReplicaSet": StructDef("v1.ReplicaSet", {
        "apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta"), "spec": S("ReplicaSetSpec"),
        "status": S("AppsStatus")}),
    "ReplicaSetSpec": StructDef("v1.ReplicaSetSpec", {
        "replicas": I32, "minReadySeconds": I32, "selector": S("LabelSelector"), "template": S("PodTemplateSpec")}),
    "DaemonSet": StructDef("v1.DaemonSet", {
        "apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta"), "spec": S("DaemonSetSpec"),
        "status": S("AppsStatus")}),
    "DaemonSetSpec": StructDef("v1.DaemonSetSpec", {
        "selector": S("LabelSelector"), "template": S("PodTemplateSpec"), "updateStrategy": S("DaemonSetUpdateStrategy"),
        "minReadySeconds": I32, "revisionHistoryLimit": I32}),
    "DaemonSetUpdateStrategy": StructDef("v1.DaemonSetUpdateStrategy", {
        "type": STR, "rollingUpdate": S("RollingUpdateDaemonSet")}),
    "RollingUpdateDaemonSet": StructDef("v1.RollingUpdateDaemonSet", {"maxUnavailable": INTSTR, "maxSurge": INTSTR}),
    "Service": StructDef("v1.Service", {
        "apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta"), "spec": S("ServiceSpec"),
        "status": S("ServiceStatus")}),
    "ServiceSpec": StructDef("v1.ServiceSpec", {
        "ports": keyed("ServicePort", "port", "protocol", defaults=TCP), "selector": MapOf(STR, atomic=True),
        "clusterIP": STR, "clusterIPs": atomic(STR), "type": STR, "externalIPs": atomic(STR),
        "sessionAffinity": STR, "loadBalancerIP": STR, "loadBalancerSourceRanges": atomic(STR),
        "externalName": STR, "externalTrafficPolicy": STR, "healthCheckNodePort": I32,
        "publishNotReadyAddresses": BOOL, "sessionAffinityConfig": S("Open"), "ipFamilies": atomic(STR),
        "ipFamilyPolicy": STR, "allocateLoadBalancerNodePorts": BOOL, "loadBalancerClass": STR,
        "internalTrafficPolicy": STR, "trafficDistribution": STR}),
    "ServicePort": StructDef("v1.ServicePort", {
        "name": STR, "protocol": STR, "appProtocol": STR, "port": I32, "targetPort": INTSTR, "nodePort": I32}),
    "ServiceStatus": StructDef("v1.ServiceStatus", {"conditions": keyed("Open", "type")}, closed=False),
    "ConfigMap": StructDef("v1.ConfigMap", {
        "apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta"), "immutable": BOOL, "data": STRMAP,
        "binaryData": MapOf(BYTES)}),
    "Namespace": StructDef("v1.Namespace", {
        "apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta"), "spec": S("NamespaceSpec"),
        "status": S("Open")}),
    "NamespaceSpec": StructDef("v1.NamespaceSpec", {"finalizers": atomic(STR)}),
    "Node": StructDef("v1.Node", {
        "apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta"), "spec": S("NodeSpec"),
        "status": S("NodeStatus")}),
    "NodeSpec": StructDef("v1.NodeSpec", {"podCIDRs": str_set(), "taints": atomic(S("Open"))}, closed=False),
    "NodeStatus": StructDef("v1.NodeStatus", {
        "conditions": keyed("Open", "type"), "addresses": keyed("Open", "type"), "images": atomic(S("Open")),
        "volumesInUse": atomic(STR), "volumesAttached": atomic(S("Open"))}, closed=False),
}

_TOP = {"apiVersion": STR, "kind": STR, "metadata": S("ObjectMeta")}
_JOB_SPEC = {
    "parallelism": I32, "completions": I32, "activeDeadlineSeconds": I64, "podFailurePolicy": S("Open"),
    "successPolicy": S("Open"), "backoffLimit": I32, "backoffLimitPerIndex": I32, "maxFailedIndexes": I32,
    "selector": S("LabelSelector"), "manualSelector": BOOL, "template": S("PodTemplateSpec"),
    "ttlSecondsAfterFinished": I32, "completionMode": STR, "suspend": BOOL, "podReplacementPolicy": STR,
    "managedBy": STR,
}
STRUCTS.update({
    "ObjectReference": StructDef("v1.ObjectReference", {
        "kind": STR, "namespace": STR, "name": STR, "uid": STR, "apiVersion": STR, "resourceVersion": STR,
        "fieldPath": STR}, atomic=True),
    "Secret": StructDef("v1.Secret", {
        **_TOP, "immutable": BOOL, "data": MapOf(BYTES), "stringData": STRMAP, "type": STR}),
    "ServiceAccount": StructDef("v1.ServiceAccount", {
        **_TOP, "secrets": keyed("ObjectReference", "name"),
        "imagePullSecrets": atomic(S("LocalObjectReference")), "automountServiceAccountToken": BOOL}),
    "Endpoints": StructDef("v1.Endpoints", {**_TOP, "subsets": atomic(S("EndpointSubset"))}),
    "EndpointSubset": StructDef("v1.EndpointSubset", {
        "addresses": atomic(S("EndpointAddress")), "notReadyAddresses": atomic(S("EndpointAddress")),
        "ports": atomic(S("EndpointPort"))}),
    "EndpointAddress": StructDef("v1.EndpointAddress", {
        "ip": STR, "hostname": STR, "nodeName": STR, "targetRef": S("ObjectReference")}),
    "EndpointPort": StructDef("v1.EndpointPort", {"name": STR, "port": I32, "protocol": STR, "appProtocol": STR}),
    "EndpointSlice": StructDef("v1.EndpointSlice", {
        **_TOP, "addressType": STR, "endpoints": atomic(S("Endpoint")), "ports": atomic(S("EndpointPort"))}),
    "Endpoint": StructDef("v1.Endpoint", {
        "addresses": str_set(merge=False), "conditions": S("EndpointConditions"), "hostname": STR,
        "targetRef": S("ObjectReference"), "deprecatedTopology": STRMAP, "nodeName": STR, "zone": STR,
        "hints": S("Open")}),
    "EndpointConditions": StructDef("v1.EndpointConditions", {"ready": BOOL, "serving": BOOL, "terminating": BOOL}),
    "Job": StructDef("v1.Job", {**_TOP, "spec": S("JobSpec"), "status": S("JobStatus")}),
    "JobSpec": StructDef("v1.JobSpec", _JOB_SPEC),
    "JobStatus": StructDef("v1.JobStatus", {"conditions": atomic(S("Open"))}, closed=False),
    "CronJob": StructDef("v1.CronJob", {**_TOP, "spec": S("CronJobSpec"), "status": S("CronJobStatus")}),
    "CronJobSpec": StructDef("v1.CronJobSpec", {
        "schedule": STR, "timeZone": STR, "startingDeadlineSeconds": I64, "concurrencyPolicy": STR,
        "suspend": BOOL, "jobTemplate": S("JobTemplateSpec"), "successfulJobsHistoryLimit": I32,
        "failedJobsHistoryLimit": I32}),
    "JobTemplateSpec": StructDef("v1.JobTemplateSpec", {"metadata": S("ObjectMeta"), "spec": S("JobSpec")}),
    "CronJobStatus": StructDef("v1.CronJobStatus", {
        "active": atomic(S("ObjectReference")), "lastScheduleTime": TIME, "lastSuccessfulTime": TIME}),
    "Lease": StructDef("v1.Lease", {**_TOP, "spec": S("LeaseSpec")}),
    "LeaseSpec": StructDef("v1.LeaseSpec", {
        "holderIdentity": STR, "leaseDurationSeconds": I32, "acquireTime": STR, "renewTime": STR,
        "leaseTransitions": I32, "strategy": STR, "preferredHolder": STR}),
})

KINDS = {"Pod", "Deployment", "ReplicaSet", "DaemonSet", "Service", "ConfigMap", "Namespace", "Node", "Secret",
         "ServiceAccount", "Endpoints", "EndpointSlice", "Job", "CronJob", "Lease"}


def root_type(kind: str) -> Struct:
    """The type of a whole object; unknown kinds are untyped (maps granular, lists atomic)."""
    return S(kind) if kind in KINDS else S("Open")


def struct_def(type_) -> StructDef | None:
    return STRUCTS.get(type_.name) if isinstance(type_, Struct) else None


def child_type(type_, key: str):
    """The type of `key` inside a struct or map type, ANY when unknown."""
    if isinstance(type_, Struct):
        return STRUCTS[type_.name].fields.get(key, ANY)
    if isinstance(type_, MapOf):
        return type_.value
    return ANY


def is_atomic(type_) -> bool:
    if isinstance(type_, Struct):
        return STRUCTS[type_.name].atomic
    if isinstance(type_, MapOf):
        return type_.atomic
    if isinstance(type_, ListOf):
        return not type_.keys and not type_.is_set
    return False


def go_type_name(type_) -> str:
    if isinstance(type_, Scalar):
        return "interface {}" if type_ is ANY else type_.go_type
    if isinstance(type_, Struct):
        return STRUCTS[type_.name].go_name
    if isinstance(type_, MapOf):
        return "map[string]" + go_type_name(type_.value)
    return "[]" + go_type_name(type_.item)
