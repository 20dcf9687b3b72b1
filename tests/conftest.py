"""Shared fixtures: one local API server for the whole session, a kubeconfig for it, real kubectl,
the official Python client, and waiting on conditions with a deadline (all built from
`tests/support`, where every test finds the one helper of each kind).

The session server is shared, so every test that writes works in a namespace of its own
(`namespace` fixture) and never depends on what other tests left behind.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from kubetui.localcluster import LocalCluster
from tests.support.clusters import BARE_SERVER, RawClient, RunningCluster, start_cluster
from tests.support.waiting import wait_for

# Clusters of their own that tests in several folders share: the exec tests' (kubelets running
# containers) and the simulation tests' (fast simulated time).
pytest_plugins = ["tests.kube.exec_support", "tests.localcluster.sim_support"]


@pytest.fixture(scope="session")
def session_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    with start_cluster(tmp_path_factory.mktemp("kube"), bookmark_interval=0.5, **BARE_SERVER) as running:
        yield running


@pytest.fixture(scope="session")
def cluster(session_cluster: RunningCluster) -> LocalCluster:
    return session_cluster.cluster


@pytest.fixture(scope="session")
def kubeconfig_path(session_cluster: RunningCluster) -> Path:
    return session_cluster.kubeconfig


@pytest.fixture(scope="session")
def kube_cache_dir(session_cluster: RunningCluster) -> Path:
    return session_cluster.cache_dir


@pytest.fixture(scope="session")
def kubectl(session_cluster: RunningCluster) -> Callable[..., subprocess.CompletedProcess]:
    """`kubectl(*args, input=None, timeout=60)` with the venv's kubectl and a private cache."""

    def run(*args: str, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        return session_cluster.kubectl(*args, check=False, input=input, timeout=timeout)

    run.env = session_cluster.env  # for tests that need Popen (kubectl get -w)
    run.command = session_cluster.kubectl_argv()
    return run


@pytest.fixture(scope="session")
def api_client(session_cluster: RunningCluster):
    return session_cluster.api_client


@pytest.fixture(scope="session")
def core_api(session_cluster: RunningCluster):
    return session_cluster.core


@pytest.fixture(scope="session")
def apps_api(session_cluster: RunningCluster):
    return session_cluster.apps


@pytest.fixture(scope="session")
def raw(session_cluster: RunningCluster) -> RawClient:
    return session_cluster.raw


@pytest.fixture
def namespace(session_cluster: RunningCluster) -> Iterator[str]:
    """A fresh namespace for this test (deleted afterwards)."""
    with session_cluster.namespace() as name:
        yield name


@pytest.fixture(name="wait_for")
def wait_for_fixture() -> Callable[..., Any]:
    return wait_for


@pytest.fixture(scope="session", autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """What kubetui and kubectl keep under the home (caches, config, the error log) goes to this
    run's temporary directory: one per pytest-xdist worker, never the real home, which other
    workers and runs share. Each test then gets a cache and state of its own (below)."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for variable, folder in (("XDG_CACHE_HOME", ".cache"), ("XDG_CONFIG_HOME", ".config"),
                                 ("XDG_STATE_HOME", ".local/state"), ("KUBECACHEDIR", ".kube/cache")):
            patch.setenv(variable, str(home / folder))
        yield home


@pytest.fixture(autouse=True)
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``$XDG_STATE_HOME`` and ``$XDG_CACHE_HOME`` inside the test: kubetui's error log is the test's
    own, and so is its discovery cache (keyed by host:port, and a later server may get the port)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"
