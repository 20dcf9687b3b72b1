"""`describeVolumes`: the Volumes section of a pod or a pod template, one block per volume.

Key decision: a table of kubectl's per-source layouts (a `Type:` line with kubectl's own
description, then its fields), checked in kubectl's order, so a volume shows the first source
kubectl would pick; sources kubectl does not know print `<unknown>`. Pure: no I/O.
"""

from __future__ import annotations

from typing import Callable

from kubetui.model.describe.fields import print_annotations, print_labels, quantity_text
from kubetui.model.describe.writer import PrefixWriter, go_list, go_value

__all__ = ["describe_volumes"]

Field = tuple[str, Callable[[dict], str]]


def _get(name: str, default: str = "") -> Callable[[dict], str]:
    def value(source: dict) -> str:
        found = source.get(name)
        return default if found is None else go_value(found)
    return value


def _flag(name: str) -> Callable[[dict], str]:
    return lambda source: "true" if source.get(name) is True else "false"


def _ref(name: str) -> Callable[[dict], str]:
    """`%v` of a `*LocalObjectReference`: its generated String(), or <nil>."""
    def value(source: dict) -> str:
        ref = source.get(name)
        if not isinstance(ref, dict):
            return "<nil>"
        return f"&LocalObjectReference{{Name:{ref.get('name') or ''},}}"
    return value


# (field of the volume source, type description, [(label, value)]) in kubectl's order.
_SOURCES: list[tuple[str, str, list[Field]]] = [
    ("hostPath", "HostPath (bare host directory volume)",
     [("Path", _get("path")), ("HostPathType", _get("type", "<none>"))]),
    ("emptyDir", "EmptyDir (a temporary directory that shares a pod's lifetime)",
     [("Medium", _get("medium")), ("SizeLimit", lambda s: _size_limit(s.get("sizeLimit")))]),
    ("gcePersistentDisk", "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)",
     [("PDName", _get("pdName")), ("FSType", _get("fsType")), ("Partition", _get("partition", "0")),
      ("ReadOnly", _flag("readOnly"))]),
    ("awsElasticBlockStore", "AWSElasticBlockStore (a Persistent Disk resource in AWS)",
     [("VolumeID", _get("volumeID")), ("FSType", _get("fsType")), ("Partition", _get("partition", "0")),
      ("ReadOnly", _flag("readOnly"))]),
    ("gitRepo", "GitRepo (a volume that is pulled from git when the pod is created)",
     [("Repository", _get("repository")), ("Revision", _get("revision"))]),
    ("secret", "Secret (a volume populated by a Secret)",
     [("SecretName", _get("secretName")), ("Optional", _flag("optional"))]),
    ("configMap", "ConfigMap (a volume populated by a ConfigMap)",
     [("Name", _get("name")), ("Optional", _flag("optional"))]),
    ("nfs", "NFS (an NFS mount that lasts the lifetime of a pod)",
     [("Server", _get("server")), ("Path", _get("path")), ("ReadOnly", _flag("readOnly"))]),
    ("iscsi", "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)",
     [("TargetPortal", _get("targetPortal")), ("IQN", _get("iqn")), ("Lun", _get("lun", "0")),
      ("ISCSIInterface", _get("iscsiInterface")), ("FSType", _get("fsType")), ("ReadOnly", _flag("readOnly")),
      ("Portals", lambda s: go_list(s.get("portals"))), ("DiscoveryCHAPAuth", _flag("chapAuthDiscovery")),
      ("SessionCHAPAuth", _flag("chapAuthSession")), ("SecretRef", _ref("secretRef")),
      ("InitiatorName", _get("initiatorName", "<none>"))]),
    ("glusterfs", "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
     [("EndpointsName", _get("endpoints")), ("Path", _get("path")), ("ReadOnly", _flag("readOnly"))]),
    ("persistentVolumeClaim", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
     [("ClaimName", _get("claimName")), ("ReadOnly", _flag("readOnly"))]),
    ("ephemeral", "EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)",
     []),
    ("rbd", "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)",
     [("CephMonitors", lambda s: go_list(s.get("monitors"))), ("RBDImage", _get("image")), ("FSType", _get("fsType")),
      ("RBDPool", _get("pool")), ("RadosUser", _get("user")), ("Keyring", _get("keyring")),
      ("SecretRef", _ref("secretRef")), ("ReadOnly", _flag("readOnly"))]),
    ("quobyte", "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)",
     [("Registry", _get("registry")), ("Volume", _get("volume")), ("ReadOnly", _flag("readOnly"))]),
    ("downwardAPI", "DownwardAPI (a volume populated by information about the pod)", []),
    ("azureDisk", "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)",
     [("DiskName", _get("diskName")), ("DiskURI", _get("diskURI")), ("Kind", _get("kind")),
      ("FSType", _get("fsType")), ("CachingMode", _get("cachingMode")), ("ReadOnly", _flag("readOnly"))]),
    ("vsphereVolume", "vSphereVolume (a Persistent Disk resource in vSphere)",
     [("VolumePath", _get("volumePath")), ("FSType", _get("fsType")),
      ("StoragePolicyName", _get("storagePolicyName"))]),
    ("cinder", "Cinder (a Persistent Disk resource in OpenStack)",
     [("VolumeID", _get("volumeID")), ("FSType", _get("fsType")), ("ReadOnly", _flag("readOnly")),
      ("SecretRef", _ref("secretRef"))]),
    ("photonPersistentDisk", "PhotonPersistentDisk (a Persistent Disk resource in photon platform)",
     [("PdID", _get("pdID")), ("FSType", _get("fsType"))]),
    ("portworxVolume", "PortworxVolume (a Portworx Volume resource)", [("VolumeID", _get("volumeID"))]),
    ("scaleIO", "ScaleIO (a persistent volume backed by a block device in ScaleIO)",
     [("Gateway", _get("gateway")), ("System", _get("system")), ("Protection Domain", _get("protectionDomain")),
      ("Storage Pool", _get("storagePool")), ("Storage Mode", _get("storageMode")),
      ("VolumeName", _get("volumeName")), ("FSType", _get("fsType")), ("ReadOnly", _flag("readOnly"))]),
    ("cephfs", "CephFS (a CephFS mount on the host that shares a pod's lifetime)",
     [("Monitors", lambda s: go_list(s.get("monitors"))), ("Path", _get("path")), ("User", _get("user")),
      ("SecretFile", _get("secretFile")), ("SecretRef", _ref("secretRef")), ("ReadOnly", _flag("readOnly"))]),
    ("storageos", "StorageOS (a StorageOS Persistent Disk resource)",
     [("VolumeName", _get("volumeName")), ("VolumeNamespace", _get("volumeNamespace")),
      ("FSType", _get("fsType")), ("ReadOnly", _flag("readOnly"))]),
    ("fc", "FC (a Fibre Channel disk)",
     [("TargetWWNs", lambda s: ", ".join(go_value(v) for v in s.get("targetWWNs") or ())),
      ("LUN", _get("lun", "<none>")), ("FSType", _get("fsType")), ("ReadOnly", _flag("readOnly"))]),
    ("azureFile", "AzureFile (an Azure File Service mount on the host and bind mount to the pod)",
     [("SecretName", _get("secretName")), ("ShareName", _get("shareName")), ("ReadOnly", _flag("readOnly"))]),
    ("flexVolume", "FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)",
     [("Driver", _get("driver")), ("FSType", _get("fsType")), ("SecretRef", _ref("secretRef")),
      ("ReadOnly", _flag("readOnly")), ("Options", lambda s: go_value(s.get("options") or {}))]),
    ("flocker", "Flocker (a Flocker volume mounted by the Flocker agent)",
     [("DatasetName", _get("datasetName")), ("DatasetUUID", _get("datasetUUID"))]),
    ("projected", "Projected (a volume that contains injected data from multiple sources)", []),
    ("csi", "CSI (a Container Storage Interface (CSI) volume source)",
     [("Driver", _get("driver")), ("FSType", _get("fsType")), ("ReadOnly", _flag("readOnly"))]),
    ("image", "Image (a container image or OCI artifact)",
     [("Reference", _get("reference")), ("PullPolicy", _get("pullPolicy"))]),
]


def describe_volumes(volumes: object, w: PrefixWriter, space: str) -> None:
    items = [v for v in volumes or () if isinstance(v, dict)] if isinstance(volumes, list) else []
    if not items:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in items:
        w.write(1, f"{' ' if space else ''}{go_value(volume.get('name') or '')}:\n")
        for field, description, fields in _SOURCES:
            source = volume.get(field)
            if isinstance(source, dict):
                _write_source(field, source, description, fields, w)
                break
        else:
            w.write(1, "<unknown>\n")


def _write_source(field: str, source: dict, description: str, fields: list[Field], w: PrefixWriter) -> None:
    text = f"Type:\t{description}\n"
    if field == "downwardAPI":
        text += "    Items:\n"
    for label, value in fields:
        text += f"    {label}:\t{value(source)}\n"
    w.write(2, text)
    if field == "downwardAPI":
        for item in source.get("items") or ():
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("fieldRef"), dict):
                w.write(3, f"{go_value(item['fieldRef'].get('fieldPath') or '')} -> {go_value(item.get('path') or '')}\n")
            if isinstance(item.get("resourceFieldRef"), dict):
                w.write(3, f"{go_value(item['resourceFieldRef'].get('resource') or '')} -> "
                           f"{go_value(item.get('path') or '')}\n")
    elif field == "projected":
        _projected(source, w)
    elif field == "csi":
        _attributes(w, "VolumeAttributes", source.get("volumeAttributes"))
    elif field == "ephemeral":
        _ephemeral(source, w)


def _projected(source: dict, w: PrefixWriter) -> None:
    for item in source.get("sources") or ():
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("secret"), dict):
            secret = item["secret"]
            w.write(2, f"SecretName:\t{go_value(secret.get('name') or '')}\n"
                       f"    Optional:\t{'true' if secret.get('optional') is True else 'false'}\n")
        elif isinstance(item.get("downwardAPI"), dict):
            w.write(2, "DownwardAPI:\ttrue\n")
        elif isinstance(item.get("configMap"), dict):
            config_map = item["configMap"]
            w.write(2, f"ConfigMapName:\t{go_value(config_map.get('name') or '')}\n"
                       f"    Optional:\t{'true' if config_map.get('optional') is True else 'false'}\n")
        elif isinstance(item.get("serviceAccountToken"), dict):
            w.write(2, f"TokenExpirationSeconds:\t{go_value(item['serviceAccountToken'].get('expirationSeconds') or 0)}\n")


def _attributes(w: PrefixWriter, title: str, attributes: object) -> None:
    """`printCSIPersistentVolumeAttributesMultilineIndent`."""
    w.write(2, f"{title}:\t")
    values = attributes if isinstance(attributes, dict) else {}
    if not values:
        w.write_line("<none>")
        return
    for index, key in enumerate(sorted(values)):
        if index:
            w.write(2, "")
            w.write(2, "\t")
        line = f"{key}={go_value(values[key])}"
        w.write(2, f"{line[:140]}...\n" if len(line.encode()) > 140 else f"{line}\n")


def _ephemeral(source: dict, w: PrefixWriter) -> None:
    """The claim template of an ephemeral volume, as `printPersistentVolumeClaim` (not a full PVC)."""
    template = source.get("volumeClaimTemplate")
    if not isinstance(template, dict):
        return
    spec = template.get("spec") or {}
    meta = template.get("metadata") or {}
    nested = _Nested(w, 2)
    nested.write(0, f"StorageClass:\t{go_value(spec.get('storageClassName') or '')}\n")
    nested.write(0, f"Volume:\t{go_value(spec.get('volumeName') or '')}\n")
    print_labels(nested, "Labels", meta.get("labels"))  # type: ignore[arg-type]
    print_annotations(nested, "Annotations", meta.get("annotations"))  # type: ignore[arg-type]
    nested.write(0, "Capacity:\t\n")
    nested.write(0, "Access Modes:\t\n")
    if spec.get("volumeMode") is not None:
        nested.write(0, f"VolumeMode:\t{go_value(spec['volumeMode'])}\n")
    data_source = spec.get("dataSource")
    if isinstance(data_source, dict):
        nested.write(0, "DataSource:\n")
        if data_source.get("apiGroup") is not None:
            nested.write(1, f"APIGroup:\t{go_value(data_source['apiGroup'])}\n")
        nested.write(1, f"Kind:\t{go_value(data_source.get('kind') or '')}\n")
        nested.write(1, f"Name:\t{go_value(data_source.get('name') or '')}\n")


class _Nested:
    """`NewNestedPrefixWriter`: every level shifted by `indent`."""

    def __init__(self, writer: PrefixWriter, indent: int) -> None:
        self.writer, self.indent = writer, indent

    def write(self, level: int, text: str) -> None:
        self.writer.write(level + self.indent, text)

    def write_line(self, *parts: object) -> None:
        self.writer.write(self.indent, " ".join(str(p) for p in parts) + "\n")


def _size_limit(value: object) -> str:
    if value is None:
        return "<unset>"
    text = quantity_text(value)
    return "<unset>" if text in ("0", "") or text.startswith("-") else text
