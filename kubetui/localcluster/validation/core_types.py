"""The pod spec as kube-apiserver holds it in memory: Go types of pkg/apis/core (internal).

Validation compares and prints internal objects, so a pod-update diff names `core.PodSpec`,
lists fields in the internal struct order and shows `SecurityContext.HostNetwork` where the
v1 JSON has `spec.hostNetwork`. `pod_spec(json)` converts a v1 pod spec (already defaulted)
into `gocmp` values of these types. Key decisions: the field lists follow the internal types
of Kubernetes 1.36 (HostnameOverride, then the scheduling-group reference, last in PodSpec);
rarely used nested sources (cloud volumes, Windows options) are opaque values that still
compare and count as fields; a quantity is parsed like resource.ParseQuantity, keeping the
canonical string only when the input already was canonical.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kubetui.localcluster.apimachinery.gocmp_values import BOOL, INT, MAP, OPAQUE, PTR, SLICE, STRING, STRUCT, GoType

_LOR = ("LocalObjectReference", "", "LocalObjectReference")
_VOLUME_SOURCES = (
    ("HostPath", "hostPath", "*HostPathVolumeSource"), ("EmptyDir", "emptyDir", "*EmptyDirVolumeSource"),
    ("GCEPersistentDisk", "gcePersistentDisk", "opaque"), ("AWSElasticBlockStore", "awsElasticBlockStore", "opaque"),
    ("GitRepo", "gitRepo", "opaque"), ("Secret", "secret", "*SecretVolumeSource"), ("NFS", "nfs", "opaque"),
    ("ISCSI", "iscsi", "opaque"), ("Glusterfs", "glusterfs", "opaque"),
    ("PersistentVolumeClaim", "persistentVolumeClaim", "*PersistentVolumeClaimVolumeSource"),
    ("RBD", "rbd", "opaque"), ("Quobyte", "quobyte", "opaque"), ("FlexVolume", "flexVolume", "opaque"),
    ("Cinder", "cinder", "opaque"), ("CephFS", "cephfs", "opaque"), ("Flocker", "flocker", "opaque"),
    ("DownwardAPI", "downwardAPI", "*DownwardAPIVolumeSource"), ("FC", "fc", "opaque"),
    ("AzureFile", "azureFile", "opaque"), ("ConfigMap", "configMap", "*ConfigMapVolumeSource"),
    ("VsphereVolume", "vsphereVolume", "opaque"), ("AzureDisk", "azureDisk", "opaque"),
    ("PhotonPersistentDisk", "photonPersistentDisk", "opaque"), ("Projected", "projected", "*ProjectedVolumeSource"),
    ("PortworxVolume", "portworxVolume", "opaque"), ("ScaleIO", "scaleIO", "opaque"),
    ("StorageOS", "storageos", "opaque"), ("CSI", "csi", "opaque"), ("Ephemeral", "ephemeral", "opaque"),
    ("Image", "image", "opaque"),
)
_CONTAINER = (
    ("Name", "name", "string"), ("Image", "image", "string"), ("Command", "command", "[]string"),
    ("Args", "args", "[]string"), ("WorkingDir", "workingDir", "string"),
    ("Ports", "ports", "[]ContainerPort"), ("EnvFrom", "envFrom", "[]EnvFromSource"),
    ("Env", "env", "[]EnvVar"), ("Resources", "resources", "ResourceRequirements"),
    ("ResizePolicy", "resizePolicy", "[]ContainerResizePolicy"),
    ("RestartPolicy", "restartPolicy", "*string"), ("RestartPolicyRules", "restartPolicyRules", "opaque"),
    ("VolumeMounts", "volumeMounts", "[]VolumeMount"), ("VolumeDevices", "volumeDevices", "[]VolumeDevice"),
    ("LivenessProbe", "livenessProbe", "*Probe"), ("ReadinessProbe", "readinessProbe", "*Probe"),
    ("StartupProbe", "startupProbe", "*Probe"), ("Lifecycle", "lifecycle", "*Lifecycle"),
    ("TerminationMessagePath", "terminationMessagePath", "string"),
    ("TerminationMessagePolicy", "terminationMessagePolicy", "string"),
    ("ImagePullPolicy", "imagePullPolicy", "string"), ("SecurityContext", "securityContext", "*SecurityContext"),
    ("Stdin", "stdin", "bool"), ("StdinOnce", "stdinOnce", "bool"), ("TTY", "tty", "bool"),
)
_SELECTOR_TERMS = (
    ("RequiredDuringSchedulingIgnoredDuringExecution", "requiredDuringSchedulingIgnoredDuringExecution",
     "[]PodAffinityTerm"),
    ("PreferredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution",
     "[]WeightedPodAffinityTerm"),
)
_ACTIONS = (("Exec", "exec", "*ExecAction"), ("HTTPGet", "httpGet", "*HTTPGetAction"),
            ("TCPSocket", "tcpSocket", "*TCPSocketAction"))
_KEYS = (("Key", "key", "string"), ("Path", "path", "string"), ("Mode", "mode", "*int"))

STRUCTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "PodSpec": (
        ("Volumes", "volumes", "[]Volume"), ("InitContainers", "initContainers", "[]Container"),
        ("Containers", "containers", "[]Container"),
        ("EphemeralContainers", "ephemeralContainers", "[]EphemeralContainer"),
        ("RestartPolicy", "restartPolicy", "string"),
        ("TerminationGracePeriodSeconds", "terminationGracePeriodSeconds", "*int"),
        ("ActiveDeadlineSeconds", "activeDeadlineSeconds", "*int"), ("DNSPolicy", "dnsPolicy", "string"),
        ("NodeSelector", "nodeSelector", "map[string]string"),
        ("ServiceAccountName", "serviceAccountName", "string"),
        ("AutomountServiceAccountToken", "automountServiceAccountToken", "*bool"),
        ("NodeName", "nodeName", "string"), ("SecurityContext", "securityContext", "*PodSecurityContext"),
        ("ImagePullSecrets", "imagePullSecrets", "[]LocalObjectReference"),
        ("Hostname", "hostname", "string"), ("Subdomain", "subdomain", "string"),
        ("SetHostnameAsFQDN", "setHostnameAsFQDN", "*bool"), ("Affinity", "affinity", "*Affinity"),
        ("SchedulerName", "schedulerName", "string"), ("Tolerations", "tolerations", "[]Toleration"),
        ("HostAliases", "hostAliases", "[]HostAlias"), ("PriorityClassName", "priorityClassName", "string"),
        ("Priority", "priority", "*int"), ("PreemptionPolicy", "preemptionPolicy", "*string"),
        ("DNSConfig", "dnsConfig", "*PodDNSConfig"), ("ReadinessGates", "readinessGates", "[]PodReadinessGate"),
        ("RuntimeClassName", "runtimeClassName", "*string"), ("Overhead", "overhead", "ResourceList"),
        ("EnableServiceLinks", "enableServiceLinks", "*bool"),
        ("TopologySpreadConstraints", "topologySpreadConstraints", "[]TopologySpreadConstraint"),
        ("OS", "os", "*PodOS"), ("SchedulingGates", "schedulingGates", "[]PodSchedulingGate"),
        ("ResourceClaims", "resourceClaims", "[]PodResourceClaim"),
        ("Resources", "resources", "*ResourceRequirements"),
        ("HostnameOverride", "hostnameOverride", "*string"), ("SchedulingGroup", "schedulingGroup", "opaque"),
    ),
    "Container": _CONTAINER,
    "EphemeralContainer": (("EphemeralContainerCommon", "", "EphemeralContainerCommon"),
                           ("TargetContainerName", "targetContainerName", "string")),
    "EphemeralContainerCommon": _CONTAINER,
    "Volume": (("Name", "name", "string"), ("VolumeSource", "", "VolumeSource")),
    "VolumeSource": _VOLUME_SOURCES,
    "HostPathVolumeSource": (("Path", "path", "string"), ("Type", "type", "*string")),
    "EmptyDirVolumeSource": (("Medium", "medium", "string"), ("SizeLimit", "sizeLimit", "*Quantity")),
    "SecretVolumeSource": (("SecretName", "secretName", "string"), ("Items", "items", "[]KeyToPath"),
                           ("DefaultMode", "defaultMode", "*int"), ("Optional", "optional", "*bool")),
    "ConfigMapVolumeSource": (_LOR, ("Items", "items", "[]KeyToPath"), ("DefaultMode", "defaultMode", "*int"),
                              ("Optional", "optional", "*bool")),
    "PersistentVolumeClaimVolumeSource": (("ClaimName", "claimName", "string"), ("ReadOnly", "readOnly", "bool")),
    "DownwardAPIVolumeSource": (("Items", "items", "[]DownwardAPIVolumeFile"),
                                ("DefaultMode", "defaultMode", "*int")),
    "DownwardAPIVolumeFile": (("Path", "path", "string"), ("FieldRef", "fieldRef", "*ObjectFieldSelector"),
                              ("ResourceFieldRef", "resourceFieldRef", "*ResourceFieldSelector"),
                              ("Mode", "mode", "*int")),
    "ProjectedVolumeSource": (("Sources", "sources", "[]VolumeProjection"), ("DefaultMode", "defaultMode", "*int")),
    "VolumeProjection": (("Secret", "secret", "*SecretProjection"),
                         ("DownwardAPI", "downwardAPI", "*DownwardAPIProjection"),
                         ("ConfigMap", "configMap", "*ConfigMapProjection"),
                         ("ServiceAccountToken", "serviceAccountToken", "*ServiceAccountTokenProjection"),
                         ("ClusterTrustBundle", "clusterTrustBundle", "opaque"),
                         ("PodCertificate", "podCertificate", "opaque")),
    "SecretProjection": (_LOR, ("Items", "items", "[]KeyToPath"), ("Optional", "optional", "*bool")),
    "ConfigMapProjection": (_LOR, ("Items", "items", "[]KeyToPath"), ("Optional", "optional", "*bool")),
    "DownwardAPIProjection": (("Items", "items", "[]DownwardAPIVolumeFile"),),
    "ServiceAccountTokenProjection": (("Audience", "audience", "string"),
                                      ("ExpirationSeconds", "expirationSeconds", "int"), ("Path", "path", "string")),
    "KeyToPath": _KEYS,
    "LocalObjectReference": (("Name", "name", "string"),),
    "ContainerPort": (("Name", "name", "string"), ("HostPort", "hostPort", "int"),
                      ("ContainerPort", "containerPort", "int"), ("Protocol", "protocol", "string"),
                      ("HostIP", "hostIP", "string")),
    "EnvFromSource": (("Prefix", "prefix", "string"), ("ConfigMapRef", "configMapRef", "*ConfigMapEnvSource"),
                      ("SecretRef", "secretRef", "*SecretEnvSource")),
    "ConfigMapEnvSource": (_LOR, ("Optional", "optional", "*bool")),
    "SecretEnvSource": (_LOR, ("Optional", "optional", "*bool")),
    "EnvVar": (("Name", "name", "string"), ("Value", "value", "string"),
               ("ValueFrom", "valueFrom", "*EnvVarSource")),
    "EnvVarSource": (("FieldRef", "fieldRef", "*ObjectFieldSelector"),
                     ("ResourceFieldRef", "resourceFieldRef", "*ResourceFieldSelector"),
                     ("ConfigMapKeyRef", "configMapKeyRef", "*ConfigMapKeySelector"),
                     ("SecretKeyRef", "secretKeyRef", "*SecretKeySelector"), ("FileKeyRef", "fileKeyRef", "opaque")),
    "ObjectFieldSelector": (("APIVersion", "apiVersion", "string"), ("FieldPath", "fieldPath", "string")),
    "ResourceFieldSelector": (("ContainerName", "containerName", "string"), ("Resource", "resource", "string"),
                              ("Divisor", "divisor", "Quantity")),
    "ConfigMapKeySelector": (_LOR, ("Key", "key", "string"), ("Optional", "optional", "*bool")),
    "SecretKeySelector": (_LOR, ("Key", "key", "string"), ("Optional", "optional", "*bool")),
    "ResourceRequirements": (("Limits", "limits", "ResourceList"), ("Requests", "requests", "ResourceList"),
                             ("Claims", "claims", "[]ResourceClaim")),
    "ResourceClaim": (("Name", "name", "string"), ("Request", "request", "string")),
    "ContainerResizePolicy": (("ResourceName", "resourceName", "ResourceName"),
                              ("RestartPolicy", "restartPolicy", "string")),
    "VolumeMount": (("Name", "name", "string"), ("ReadOnly", "readOnly", "bool"),
                    ("RecursiveReadOnly", "recursiveReadOnly", "*string"), ("MountPath", "mountPath", "string"),
                    ("SubPath", "subPath", "string"), ("MountPropagation", "mountPropagation", "*string"),
                    ("SubPathExpr", "subPathExpr", "string")),
    "VolumeDevice": (("Name", "name", "string"), ("DevicePath", "devicePath", "string")),
    "Probe": (("ProbeHandler", "", "ProbeHandler"), ("InitialDelaySeconds", "initialDelaySeconds", "int"),
              ("TimeoutSeconds", "timeoutSeconds", "int"), ("PeriodSeconds", "periodSeconds", "int"),
              ("SuccessThreshold", "successThreshold", "int"), ("FailureThreshold", "failureThreshold", "int"),
              ("TerminationGracePeriodSeconds", "terminationGracePeriodSeconds", "*int")),
    "ProbeHandler": _ACTIONS + (("GRPC", "grpc", "*GRPCAction"),),
    "ExecAction": (("Command", "command", "[]string"),),
    "HTTPGetAction": (("Path", "path", "string"), ("Port", "port", "IntOrString"), ("Host", "host", "string"),
                      ("Scheme", "scheme", "string"), ("HTTPHeaders", "httpHeaders", "[]HTTPHeader")),
    "HTTPHeader": (("Name", "name", "string"), ("Value", "value", "string")),
    "TCPSocketAction": (("Port", "port", "IntOrString"), ("Host", "host", "string")),
    "GRPCAction": (("Port", "port", "int"), ("Service", "service", "*string")),
    "Lifecycle": (("PostStart", "postStart", "*LifecycleHandler"), ("PreStop", "preStop", "*LifecycleHandler"),
                  ("StopSignal", "stopSignal", "*string")),
    "LifecycleHandler": _ACTIONS + (("Sleep", "sleep", "*SleepAction"),),
    "SleepAction": (("Seconds", "seconds", "int"),),
    "SecurityContext": (("Capabilities", "capabilities", "*Capabilities"), ("Privileged", "privileged", "*bool"),
                        ("SELinuxOptions", "seLinuxOptions", "*SELinuxOptions"),
                        ("WindowsOptions", "windowsOptions", "opaque"), ("RunAsUser", "runAsUser", "*int"),
                        ("RunAsGroup", "runAsGroup", "*int"), ("RunAsNonRoot", "runAsNonRoot", "*bool"),
                        ("ReadOnlyRootFilesystem", "readOnlyRootFilesystem", "*bool"),
                        ("AllowPrivilegeEscalation", "allowPrivilegeEscalation", "*bool"),
                        ("ProcMount", "procMount", "*string"), ("SeccompProfile", "seccompProfile", "*SeccompProfile"),
                        ("AppArmorProfile", "appArmorProfile", "*AppArmorProfile")),
    "Capabilities": (("Add", "add", "[]string"), ("Drop", "drop", "[]string")),
    "SELinuxOptions": (("User", "user", "string"), ("Role", "role", "string"), ("Type", "type", "string"),
                       ("Level", "level", "string")),
    "SeccompProfile": (("Type", "type", "string"), ("LocalhostProfile", "localhostProfile", "*string")),
    "AppArmorProfile": (("Type", "type", "string"), ("LocalhostProfile", "localhostProfile", "*string")),
    "PodSecurityContext": (("HostNetwork", "hostNetwork", "bool"), ("HostPID", "hostPID", "bool"),
                           ("HostIPC", "hostIPC", "bool"),
                           ("ShareProcessNamespace", "shareProcessNamespace", "*bool"),
                           ("HostUsers", "hostUsers", "*bool"),
                           ("SELinuxOptions", "seLinuxOptions", "*SELinuxOptions"),
                           ("WindowsOptions", "windowsOptions", "opaque"), ("RunAsUser", "runAsUser", "*int"),
                           ("RunAsGroup", "runAsGroup", "*int"), ("RunAsNonRoot", "runAsNonRoot", "*bool"),
                           ("SupplementalGroups", "supplementalGroups", "[]int"),
                           ("SupplementalGroupsPolicy", "supplementalGroupsPolicy", "*string"),
                           ("FSGroup", "fsGroup", "*int"), ("FSGroupChangePolicy", "fsGroupChangePolicy", "*string"),
                           ("Sysctls", "sysctls", "[]Sysctl"), ("SeccompProfile", "seccompProfile", "*SeccompProfile"),
                           ("AppArmorProfile", "appArmorProfile", "*AppArmorProfile"),
                           ("SELinuxChangePolicy", "seLinuxChangePolicy", "*string")),
    "Sysctl": (("Name", "name", "string"), ("Value", "value", "string")),
    "Toleration": (("Key", "key", "string"), ("Operator", "operator", "string"), ("Value", "value", "string"),
                   ("Effect", "effect", "string"), ("TolerationSeconds", "tolerationSeconds", "*int")),
    "HostAlias": (("IP", "ip", "string"), ("Hostnames", "hostnames", "[]string")),
    "PodDNSConfig": (("Nameservers", "nameservers", "[]string"), ("Searches", "searches", "[]string"),
                     ("Options", "options", "[]PodDNSConfigOption")),
    "PodDNSConfigOption": (("Name", "name", "string"), ("Value", "value", "*string")),
    "PodReadinessGate": (("ConditionType", "conditionType", "string"),),
    "PodOS": (("Name", "name", "string"),),
    "PodSchedulingGate": (("Name", "name", "string"),),
    "PodResourceClaim": (("Name", "name", "string"), ("ResourceClaimName", "resourceClaimName", "*string"),
                         ("ResourceClaimTemplateName", "resourceClaimTemplateName", "*string")),
    "Affinity": (("NodeAffinity", "nodeAffinity", "*NodeAffinity"), ("PodAffinity", "podAffinity", "*PodAffinity"),
                 ("PodAntiAffinity", "podAntiAffinity", "*PodAntiAffinity")),
    "NodeAffinity": (("RequiredDuringSchedulingIgnoredDuringExecution",
                      "requiredDuringSchedulingIgnoredDuringExecution", "*NodeSelector"),
                     ("PreferredDuringSchedulingIgnoredDuringExecution",
                      "preferredDuringSchedulingIgnoredDuringExecution", "[]PreferredSchedulingTerm")),
    "NodeSelector": (("NodeSelectorTerms", "nodeSelectorTerms", "[]NodeSelectorTerm"),),
    "NodeSelectorTerm": (("MatchExpressions", "matchExpressions", "[]NodeSelectorRequirement"),
                         ("MatchFields", "matchFields", "[]NodeSelectorRequirement")),
    "NodeSelectorRequirement": (("Key", "key", "string"), ("Operator", "operator", "string"),
                                ("Values", "values", "[]string")),
    "PreferredSchedulingTerm": (("Weight", "weight", "int"), ("Preference", "preference", "NodeSelectorTerm")),
    "PodAffinity": _SELECTOR_TERMS,
    "PodAntiAffinity": _SELECTOR_TERMS,
    "PodAffinityTerm": (("LabelSelector", "labelSelector", "*v1.LabelSelector"),
                        ("Namespaces", "namespaces", "[]string"), ("TopologyKey", "topologyKey", "string"),
                        ("NamespaceSelector", "namespaceSelector", "*v1.LabelSelector"),
                        ("MatchLabelKeys", "matchLabelKeys", "[]string"),
                        ("MismatchLabelKeys", "mismatchLabelKeys", "[]string")),
    "WeightedPodAffinityTerm": (("Weight", "weight", "int"), ("PodAffinityTerm", "podAffinityTerm", "PodAffinityTerm")),
    "TopologySpreadConstraint": (("MaxSkew", "maxSkew", "int"), ("TopologyKey", "topologyKey", "string"),
                                 ("WhenUnsatisfiable", "whenUnsatisfiable", "string"),
                                 ("LabelSelector", "labelSelector", "*v1.LabelSelector"),
                                 ("MinDomains", "minDomains", "*int"),
                                 ("NodeAffinityPolicy", "nodeAffinityPolicy", "*string"),
                                 ("NodeTaintsPolicy", "nodeTaintsPolicy", "*string"),
                                 ("MatchLabelKeys", "matchLabelKeys", "[]string")),
    "v1.LabelSelector": (("MatchLabels", "matchLabels", "map[string]string"),
                         ("MatchExpressions", "matchExpressions", "[]v1.LabelSelectorRequirement")),
    "v1.LabelSelectorRequirement": (("Key", "key", "string"), ("Operator", "operator", "string"),
                                    ("Values", "values", "[]string")),
}
_PODSPEC_HOST_FIELDS = ("hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "hostUsers")
_SCALAR = {"string": GoType(STRING, "string"), "int": GoType(INT, "int64"), "bool": GoType(BOOL, "bool"),
           "opaque": GoType(OPAQUE, "interface {}")}
_TYPES: dict[str, GoType] = {}
_JSON_KEYS: dict[str, tuple[str, ...]] = {}


# ------------------------------------------------------------------------------ quantities
_DECIMAL_SUFFIX = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIX = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}


def parse_quantity(text: Any) -> tuple[tuple[int, int], str, str] | None:
    """((value, scale) of its int64Amount, the cached canonical string or "", format)."""
    if isinstance(text, bool) or text is None:
        return None
    raw = str(text).strip()
    sign = -1 if raw.startswith("-") else 1
    body = raw.lstrip("+-")
    number = body.rstrip("kMGTPEinum")
    suffix = body[len(number):]
    fmt, exponent = "DecimalSI", 0
    if "e" in number.lower() and suffix == "":
        mantissa, _, power = number.lower().partition("e")
        number, fmt, exponent = mantissa, "DecimalExponent", int(power or 0)
    elif suffix in _BINARY_SUFFIX:
        fmt, exponent = "BinarySI", _BINARY_SUFFIX[suffix]
    elif suffix in _DECIMAL_SUFFIX:
        exponent = _DECIMAL_SUFFIX[suffix]
    else:
        return None
    whole, _, fraction = number.partition(".")
    try:
        digits = int(whole + fraction) if (whole + fraction) else 0
    except ValueError:
        return None
    if fmt == "BinarySI":
        if fraction:
            exact = (Decimal(number) * (2 ** exponent)).to_integral_value()
            return (sign * int(exact), 0), "", fmt
        cached = raw if exponent % 10 == 0 and digits & 0x07 else ""
        return (sign * (digits << exponent), 0), cached, fmt
    scale = exponent - len(fraction)
    shifted = whole + fraction
    canonical = scale % 3 == 0 and not shifted.endswith("000") and not shifted.startswith("0")
    return (sign * digits, scale), raw if canonical else "", fmt


def _quantity_go(text: Any) -> tuple:
    parsed = parse_quantity(text)
    if parsed is None:
        return ((0, 0), (None,), "", "")
    amount, cached, fmt = parsed
    return (amount, (None,), cached, fmt)


def _quantities_equal(x: tuple, y: tuple) -> bool:
    def value(q: tuple) -> Decimal:
        return Decimal(q[0][0]).scaleb(q[0][1])
    return value(x) == value(y)


# ------------------------------------------------------------------------------ types
def go_type(expr: str) -> GoType:
    """The GoType of a type expression of the schema ("[]Container", "*int", ...)."""
    known = _TYPES.get(expr)
    if known is not None:
        return known
    if expr in _SCALAR:
        t = _SCALAR[expr]
    elif expr.startswith("[]"):
        elem = go_type(expr[2:])
        t = GoType(SLICE, "[]" + elem.name, elem)
    elif expr.startswith("*"):
        elem = go_type(expr[1:])
        t = GoType(PTR, "*" + elem.name, elem)
    elif expr == "map[string]string":
        t = GoType(MAP, expr, _SCALAR["string"], _SCALAR["string"])
    elif expr == "ResourceName":
        t = GoType(STRING, "core.ResourceName", stringer=True)
    elif expr == "ResourceList":
        t = GoType(MAP, "core.ResourceList", go_type("Quantity"), go_type("ResourceName"))
    elif expr == "Quantity":
        t = GoType(STRUCT, "resource.Quantity", equal=_quantities_equal)
        _TYPES[expr] = t
        amount = GoType(STRUCT, "resource.int64Amount").set_fields(
            [("value", GoType(INT, "int64")), ("scale", GoType(INT, "resource.Scale"))])
        decimal = GoType(STRUCT, "resource.infDecAmount").set_fields([("Dec", GoType(OPAQUE, "*inf.Dec"))])
        t.set_fields([("i", amount), ("d", decimal), ("s", _SCALAR["string"]),
                      ("Format", GoType(STRING, "resource.Format"))])
    elif expr == "IntOrString":
        t = GoType(STRUCT, "intstr.IntOrString").set_fields(
            [("Type", GoType(INT, "intstr.Type")), ("IntVal", GoType(INT, "int32")),
             ("StrVal", _SCALAR["string"])])
    else:
        t = GoType(STRUCT, expr if "." in expr else "core." + expr)
        _TYPES[expr] = t  # before the fields: types may refer to themselves
        t.set_fields([(name, go_type(field_type)) for name, _, field_type in STRUCTS[expr]])
        _JSON_KEYS[expr] = tuple(key for _, key, _ in STRUCTS[expr])
    _TYPES[expr] = t
    return t


def _struct_name(t: GoType) -> str:
    return t.name[len("core."):] if t.name.startswith("core.") else t.name


def to_go(t: GoType, value: Any, stored: bool = False) -> Any:
    """A JSON value as the Go value of type `t`. `stored`: as read back from etcd, where an
    empty list or map decodes as nil."""
    if t.kind == STRING:
        return value if isinstance(value, str) else ""
    if t.kind == INT:
        return value if isinstance(value, int) and not isinstance(value, bool) else 0
    if t.kind == BOOL:
        return value is True
    if t.kind == OPAQUE:
        return value
    if t.kind == PTR:
        return None if value is None else to_go(t.elem, value, stored)  # type: ignore[arg-type]
    if t.kind == SLICE:
        if not isinstance(value, list) or (stored and not value):
            return None
        return [to_go(t.elem, item, stored) for item in value]  # type: ignore[arg-type]
    if t.kind == MAP:
        if not isinstance(value, dict) or (stored and not value):
            return None
        return {str(k): to_go(t.elem, v, stored) for k, v in value.items()}  # type: ignore[arg-type]
    if t.name == "resource.Quantity":
        return _quantity_go(value) if value is not None else ((0, 0), (None,), "", "")
    if t.name == "intstr.IntOrString":
        if isinstance(value, str):
            return (1, 0, value)
        return (0, value if isinstance(value, int) else 0, "")
    obj = value if isinstance(value, dict) else {}
    keys = _JSON_KEYS[_struct_name(t)]
    return tuple(to_go(ft, obj if key == "" else obj.get(key), stored)
                 for (_, ft), key in zip(t.fields, keys))


def pod_spec(spec: dict, stored: bool = False) -> Any:
    """A v1 pod spec (JSON) as a core.PodSpec value: the host namespace switches move into
    the security context, which the conversion always creates."""
    spec = dict(spec) if isinstance(spec, dict) else {}
    context = dict(spec.get("securityContext") or {})
    for key in _PODSPEC_HOST_FIELDS:
        if key in spec:
            context[key] = spec[key]
    spec["securityContext"] = context
    return to_go(POD_SPEC, spec, stored)


POD_SPEC = go_type("PodSpec")

__all__ = ["POD_SPEC", "go_type", "parse_quantity", "pod_spec", "to_go"]
