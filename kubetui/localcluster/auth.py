"""Bearer-token authentication and a two-role authorizer (admin, read-only viewer).

Key decisions: tokens are random per server start and compared in constant time. The viewer may
get/list/watch anything but secrets, as the `view` ClusterRole, and nothing else; its denials use the exact RBAC wording, e.g.
`pods "x" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the
namespace "default"`.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from kubetui.localcluster import errors
from kubetui.localcluster.resources import READ_VERBS


@dataclass(frozen=True)
class User:
    name: str
    read_only: bool = False


ADMIN = User("kubetui-admin")
VIEWER = User("viewer", read_only=True)


class Authenticator:
    def __init__(self, admin_token: str | None = None, viewer_token: str | None = None) -> None:
        self.admin_token = admin_token or secrets.token_urlsafe(32)
        self.viewer_token = viewer_token or secrets.token_urlsafe(32)

    def user_for(self, authorization: str | None) -> User:
        """The user behind an `Authorization` header; 401 for anything else."""
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() == "bearer" and token:
            if hmac.compare_digest(token, self.admin_token):
                return ADMIN
            if hmac.compare_digest(token, self.viewer_token):
                return VIEWER
        raise errors.unauthorized()


# Like the `view` ClusterRole, the viewer may not read secrets (they hold credentials).
HIDDEN_FROM_VIEWER = frozenset({"secrets"})


def authorize(user: User, verb: str, plural: str, group: str, namespace: str, name: str,
              subresource: str = "") -> None:
    if not user.read_only or (verb in READ_VERBS and plural not in HIDDEN_FROM_VIEWER):
        return
    resource = f"{plural}/{subresource}" if subresource else plural
    scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    raise errors.forbidden(
        plural, name,
        f'User "{user.name}" cannot {verb} resource "{resource}" in API group "{group}" {scope}',
        group)
