"""An ApiClient from checked `ClientSettings`: trust, client certificate, token, exec refresh.

Key decisions: PEM material goes to files in a private 0700 temp folder (urllib3 and the
websocket client both want paths), removed when the connection closes. An exec plugin runs once
here, so its failure is the first thing the user hears, and again from the client's
`refresh_api_key_hook` when its credential expires. With `insecure-skip-tls-verify` urllib3 would
warn on every request; that one warning is silenced for that one host only, since the header
says "TLS not verified" instead.
"""

from __future__ import annotations

import atexit
import re
import shutil
import ssl
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kubetui.kube.kubeconfig import bad

if TYPE_CHECKING:
    from kubetui.kube.credentials import ClientSettings
    from kubetui.kube.exec_credentials import ExecCredential, ExecPlugin


class PemFiles:
    """A private folder for certificates and keys, removed on `remove()` or at exit."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="kubetui-tls-"))  # mkdtemp makes it 0700
        atexit.register(self.remove)

    def write(self, name: str, data: bytes) -> str:
        path = self.folder / name
        tmp = path.with_suffix(".new")
        tmp.touch(mode=0o600)
        tmp.write_bytes(data)
        tmp.replace(path)  # a connection opening meanwhile reads the old file or the new, never half
        return str(path)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def build_api_client(settings: ClientSettings):
    """Return (ApiClient, PemFiles) for the settings; the exec plugin, if any, has run once."""
    from kubernetes.client import ApiClient, Configuration

    configuration = Configuration()
    configuration.host = settings.server
    files = PemFiles()
    try:
        if settings.ca_pem is not None:
            configuration.ssl_ca_cert = files.write("ca.crt", settings.ca_pem)
        configuration.verify_ssl = settings.tls_verified
        if not settings.tls_verified:
            quiet_insecure_warning(settings.server)
        if settings.tls_server_name:
            configuration.tls_server_name = settings.tls_server_name
        if settings.proxy_url:
            configuration.proxy = settings.proxy_url
        if settings.client_cert_pem is not None:
            _use_client_certificate(configuration, files, settings.client_cert_pem, settings.client_key_pem,
                                    settings.user_label)
        if settings.authorization:
            configuration.api_key["BearerToken"] = settings.authorization
        if settings.exec_plugin is not None:
            _use_exec_plugin(configuration, files, settings.exec_plugin)
    except BaseException:
        files.remove()
        raise
    return ApiClient(configuration=configuration), files


def _use_client_certificate(configuration, files: PemFiles, cert: bytes, key: bytes, where: str) -> None:
    configuration.cert_file = files.write("client.crt", cert)
    configuration.key_file = files.write("client.key", key)
    load_client_certificate(ssl.create_default_context(), configuration.cert_file, configuration.key_file, where)


def load_client_certificate(context: ssl.SSLContext, cert_file: str, key_file: str, where: str) -> None:
    """Load a client certificate and key into `context`, or KubetuiError naming `where` (the user)."""
    try:  # a pair that does not load would otherwise surface as a puzzling TLS error
        context.load_cert_chain(cert_file, key_file)
    except (ssl.SSLError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or str(exc)
        if reason == "KEY_VALUES_MISMATCH":
            raise bad(f"{where}: the client certificate and key do not belong together") from None
        raise bad(f"{where}: the client certificate or key is not a PEM certificate and key ({reason})") from None


def _use_exec_plugin(configuration, files: PemFiles, plugin: ExecPlugin) -> None:
    first = plugin.credential()
    where = f'exec plugin "{plugin.name}"'
    current = {"credential": first}

    def apply(credential: ExecCredential) -> None:
        if credential.token:
            configuration.api_key["BearerToken"] = f"Bearer {credential.token}"
        if credential.client_cert_pem is not None:
            _use_client_certificate(configuration, files, credential.client_cert_pem, credential.client_key_pem,
                                    where)

    def refresh(_configuration) -> None:
        # Called by the client before every request; runs the plugin only once the last
        # credential has expired.
        credential = plugin.credential()
        if credential is not current["credential"]:
            current["credential"] = credential
            apply(credential)

    apply(first)
    if first.token:  # the client calls the hook only for token authentication
        configuration.refresh_api_key_hook = refresh


def quiet_insecure_warning(server: str) -> None:
    host = urlsplit(server).hostname or ""
    from urllib3.exceptions import InsecureRequestWarning

    warnings.filterwarnings("ignore", category=InsecureRequestWarning,
                            message=f"Unverified HTTPS request is being made to host '{re.escape(host)}'")
