"""What one context needs to talk to its cluster: server, trust, and who we are, all checked.

Key decisions: everything a context names is checked before the first request, as kubectl's
`ConfirmUsable` does, so a missing certificate file or a context without a cluster is one line
instead of a 401 or a TLS failure later. Certificate authorities are parsed for real (a PEM that
does not load fails here). `insecure-skip-tls-verify` set to true is the user's explicit choice and is
honoured as kubectl honours it, but refused together with a CA, as kubectl refuses it.
"""

from __future__ import annotations

import base64
import binascii
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kubetui.kube.kubeconfig import Entry, Kubeconfig, bad

if TYPE_CHECKING:
    from kubetui.kube.exec_credentials import ExecPlugin


@dataclass
class ClientSettings:
    """A context resolved into what the HTTP client needs (PEM bytes, not base64 or paths)."""

    context: str
    namespace: str
    server: str
    ca_pem: bytes | None = None
    tls_verified: bool = True
    tls_server_name: str | None = None
    proxy_url: str | None = None
    authorization: str | None = None  # the Authorization header: "Bearer …" or "Basic …"
    client_cert_pem: bytes | None = None
    client_key_pem: bytes | None = None
    exec_plugin: ExecPlugin | None = None
    auth_provider: bool = False  # legacy auth-provider stanza: the client's own loader handles it
    impersonation: bool = False  # as, as-uid, as-groups or as-user-extra: the direct client leaves it alone
    user_label: str = ""  # how errors name the user: 'kubeconfig F: user "NAME"'


def resolve(config: Kubeconfig, name: str, namespace: str | None = None) -> ClientSettings:
    """The settings of context `name`, or KubetuiError naming the first thing that is wrong."""
    context = config.contexts[name]
    cluster = _named(config.clusters, context, "cluster", required=True)
    server = _server(cluster)
    # kubectl asks for a username when an https context names no user; kubetui cannot ask, so
    # only a plain-http server (`kubectl proxy`) may go without one.
    user = _named(config.users, context, "user", required=not server.startswith("http://"))
    settings = ClientSettings(context=name, namespace=namespace or _context_namespace(context),
                              server=server.rstrip("/"))
    _apply_cluster(settings, cluster)
    if user is not None:
        _apply_user(settings, user, cluster)
    return settings


def _context_namespace(context: Entry) -> str:
    namespace = context.body.get("namespace")
    if namespace is not None and not isinstance(namespace, str):
        raise bad(f'{_where(context, "context")}: namespace must be a string')
    return namespace or "default"


def _named(known: dict[str, Entry], context: Entry, kind: str, *, required: bool) -> Entry | None:
    ref = context.body.get(kind)
    if ref is not None and not isinstance(ref, str):
        raise bad(f'{_where(context, "context")}: {kind} must be a name, not {type(ref).__name__}')
    if not ref:
        if required:
            raise bad(f'{_where(context, "context")} names no {kind}')
        return None
    if ref not in known:
        raise bad(f'{_where(context, "context")} uses {kind} "{ref}", which no kubeconfig file defines')
    return known[ref]


def _server(cluster: Entry) -> str:
    server = cluster.body.get("server")
    where = _where(cluster, "cluster")
    if not server:
        raise bad(f"{where} has no server")
    if not isinstance(server, str):
        raise bad(f"{where}: server must be a URL, not {type(server).__name__}")
    try:
        parts = urlsplit(server)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("https", "http") or not parts.hostname:
        raise bad(f'{where}: server "{server}" is not an https:// URL')
    return server


def _apply_cluster(settings: ClientSettings, cluster: Entry) -> None:
    body, where = cluster.body, _where(cluster, "cluster")
    insecure = body.get("insecure-skip-tls-verify", False)
    if not isinstance(insecure, bool):
        raise bad(f"{where}: insecure-skip-tls-verify must be true or false")
    settings.ca_pem = _file_or_data(body, "certificate-authority", where, cluster.base_dir)
    if insecure and settings.ca_pem is not None:
        # kubectl's own words for this contradiction.
        raise bad(f"{where}: specifying a root certificates file with the insecure flag is not allowed")
    if settings.ca_pem is not None:
        _check_ca(settings.ca_pem, where)
    settings.tls_verified = not insecure
    settings.tls_server_name = _optional_string(body, "tls-server-name", where)
    settings.proxy_url = _optional_string(body, "proxy-url", where)


def _apply_user(settings: ClientSettings, user: Entry, cluster: Entry) -> None:
    body, where = user.body, _where(user, "user")
    settings.user_label = where
    token = _optional_string(body, "token", where)
    if not token and body.get("tokenFile"):
        token = _read_file(body["tokenFile"], "tokenFile", where, user.base_dir)
        token = token.decode("utf-8", errors="replace").strip()
        if not token:
            raise bad(f"{where}: tokenFile {body['tokenFile']} is empty")
    username = _optional_string(body, "username", where)
    password = _optional_string(body, "password", where)
    if token and (username or password):
        raise bad(f"{where}: more than one authentication method (token and username/password); "
                  "only one is allowed")
    if body.get("exec") is not None and body.get("auth-provider") is not None:
        raise bad(f"{where}: auth-provider cannot be given together with an exec plugin")
    if token:
        settings.authorization = f"Bearer {token}"
    elif username or password:
        basic = base64.b64encode(f"{username or ''}:{password or ''}".encode()).decode("ascii")
        settings.authorization = f"Basic {basic}"
    settings.client_cert_pem = _file_or_data(body, "client-certificate", where, user.base_dir)
    settings.client_key_pem = _file_or_data(body, "client-key", where, user.base_dir)
    if (settings.client_cert_pem is None) != (settings.client_key_pem is None):
        have, missing = (("client-certificate", "client-key") if settings.client_key_pem is None
                         else ("client-key", "client-certificate"))
        raise bad(f"{where} has a {have} but no {missing}")
    if body.get("exec") is not None and not token:
        from kubetui.kube.exec_credentials import ExecPlugin  # subprocess and threading: only when needed

        settings.exec_plugin = ExecPlugin.from_kubeconfig(body["exec"], where, user.base_dir,
                                                          _cluster_info(settings, cluster))
    settings.impersonation = any(body.get(key) for key in _IMPERSONATION_KEYS)
    provider = body.get("auth-provider")
    if provider is not None and not token:
        _check_auth_provider(provider, where)
        settings.auth_provider = True


_IMPERSONATION_KEYS = ("as", "as-uid", "as-groups", "as-user-extra")

# kubectl dropped these in 1.26 and names their replacements, exec plugins both.
_REMOVED_PROVIDERS = {"gcp": 'the "gke-gcloud-auth-plugin" exec credential plugin',
                      "azure": 'the "kubelogin" exec credential plugin'}


def _check_auth_provider(provider: object, where: str) -> None:
    name = provider.get("name") if isinstance(provider, dict) else None
    if not isinstance(name, str) or not name:
        raise bad(f"{where}: auth-provider has no name")
    if name in _REMOVED_PROVIDERS:
        raise bad(f"{where}: the {name} auth-provider was removed from kubectl, and kubetui does not "
                  f"support it either; use {_REMOVED_PROVIDERS[name]} instead")
    if name != "oidc":
        raise bad(f'{where}: auth-provider "{name}" is not supported; use an exec credential plugin')


def _cluster_info(settings: ClientSettings, cluster: Entry) -> dict:
    """The Cluster object an exec plugin with provideClusterInfo receives (client.authentication.k8s.io)."""
    info: dict = {"server": settings.server}
    if settings.ca_pem is not None:
        info["certificate-authority-data"] = base64.b64encode(settings.ca_pem).decode("ascii")
    if not settings.tls_verified:
        info["insecure-skip-tls-verify"] = True
    if settings.tls_server_name:
        info["tls-server-name"] = settings.tls_server_name
    if settings.proxy_url:
        info["proxy-url"] = settings.proxy_url
    for extension in cluster.body.get("extensions") or []:
        if isinstance(extension, dict) and extension.get("name") == "client.authentication.k8s.io/exec":
            info["config"] = extension.get("extension")
    return info


def _where(entry: Entry, kind: str) -> str:
    return f'kubeconfig {entry.source}: {kind} "{entry.name}"'


def _optional_string(body: dict, key: str, where: str) -> str | None:
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise bad(f"{where}: {key} must be a string, not {type(value).__name__}")
    return value


def _file_or_data(body: dict, key: str, where: str, base_dir: str) -> bytes | None:
    """`key-data` (base64; it wins, as in client-go) or the file `key` names, as bytes."""
    data_key = f"{key}-data"
    data = body.get(data_key)
    if data:
        if not isinstance(data, str):
            raise bad(f"{where}: {data_key} must be a base64 string")
        try:
            return base64.b64decode("".join(data.split()), validate=True)
        except (binascii.Error, ValueError):
            raise bad(f"{where}: {data_key} is not valid base64") from None
    path = body.get(key)
    return _read_file(path, key, where, base_dir) if path else None


def _read_file(path: object, key: str, where: str, base_dir: str) -> bytes:
    if not isinstance(path, str):
        raise bad(f"{where}: {key} must be a file path")
    target = Path(base_dir, path)  # an absolute path stays as it is
    try:
        return target.read_bytes()
    except FileNotFoundError:
        raise bad(f"{where}: {key} {target} does not exist") from None
    except IsADirectoryError:
        raise bad(f"{where}: {key} {target} is a directory, not a file") from None
    except PermissionError:
        raise bad(f"{where}: cannot read {key} {target}: permission denied") from None
    except OSError as exc:
        raise bad(f"{where}: cannot read {key} {target}: {exc.strerror or exc}") from None


def _check_ca(pem: bytes, where: str) -> None:
    try:
        ssl.create_default_context(cadata=pem.decode("ascii"))
    except (ssl.SSLError, ValueError, UnicodeDecodeError):
        raise bad(f"{where}: certificate-authority holds no PEM certificate") from None
