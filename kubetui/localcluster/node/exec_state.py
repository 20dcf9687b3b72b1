"""Where the exec sessions of a pod keep what they change, and when it goes away.

The simulated shell saves a writable layer per container instance and per shared volume
(sandbox/layers.py). They live under the exec service's scratch directory, one directory
per pod: `state/<pod uid>/containers/<name>/<instance>.json` and
`state/<pod uid>/volumes/<name>.json`. Key decision: lifetimes follow a real node's: a
container's layer goes once another instance of it runs (a restart starts from the image
again), the pod's directory when the pod is deleted (emptyDir volumes with it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from typing import Callable

from kubetui.localcluster.sandbox.shared_files import SHARED_SOURCES, Written
from kubetui.model.exec_ends import running_instance

# pod uid -> what the pod's programs wrote: (in each shared volume, in each container)
PodFiles = Callable[[str], tuple[Written, Written]]


def _instance_file(instance: str) -> str:
    return hashlib.sha256(instance.encode()).hexdigest()[:16] + ".json"


class ContainerState:
    def __init__(self, root: str, pod: dict) -> None:
        self.pod = pod
        meta = pod.get("metadata") or {}
        uid = str(meta.get("uid") or meta.get("name") or "pod")
        self.base = os.path.join(root, "state", uid.replace("/", "_"))

    def container_layer(self, container: str) -> str:
        """The layer file of the instance of `container` running now."""
        directory = os.path.join(self.base, "containers", container)
        os.makedirs(directory, exist_ok=True)
        return os.path.join(directory, _instance_file(running_instance(self.pod, container) or ""))

    def volume_layers(self) -> dict[str, str]:
        """The layer file of each shared writable volume of the pod."""
        directory = os.path.join(self.base, "volumes")
        layers = {}
        for volume in (self.pod.get("spec") or {}).get("volumes") or []:
            if isinstance(volume, dict) and any(key in volume for key in SHARED_SOURCES):
                os.makedirs(directory, exist_ok=True)
                layers[str(volume.get("name"))] = os.path.join(directory, f"{volume.get('name')}.json")
        return layers

    def prune(self, gone: bool) -> None:
        """Drop what no running instance owns any more; everything once the pod is gone."""
        if not os.path.isdir(self.base):
            return
        if gone:
            shutil.rmtree(self.base, ignore_errors=True)
            return
        containers = os.path.join(self.base, "containers")
        for name in os.listdir(containers) if os.path.isdir(containers) else ():
            instance = running_instance(self.pod, name)
            if instance is None:
                continue  # stopped: its layer goes when the next instance runs
            keep = _instance_file(instance)
            directory = os.path.join(containers, name)
            for entry in os.listdir(directory):
                if not entry.startswith(keep):
                    try:
                        os.unlink(os.path.join(directory, entry))
                    except OSError:
                        pass
