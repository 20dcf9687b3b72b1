"""kubetui's local Kubernetes API server (HTTPS on 127.0.0.1, bearer tokens), for tests, the
demo and `kubetui cluster`. Real kubectl and the official Python client talk to it unchanged.

The public names are imported lazily, so importing one submodule (the model of a controller,
say) does not pull in aiohttp and the whole server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubetui.localcluster.cluster.options import ClusterOptions
    from kubetui.localcluster.cluster.runner import ClusterStartError, LocalCluster

__all__ = ["ClusterOptions", "ClusterStartError", "LocalCluster"]


def __getattr__(name: str) -> Any:
    if name == "ClusterOptions":
        from kubetui.localcluster.cluster import options

        return options.ClusterOptions
    if name in __all__:
        from kubetui.localcluster.cluster import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
