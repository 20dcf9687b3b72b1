"""Bearer-token authentication, impersonation, and an RBAC-shaped authorizer.

Key decisions: tokens are random per server start and compared in constant time. Who may do
what is a list of RBAC PolicyRules per user, the same rules the request authorizer, the
access reviews (`kubectl auth can-i`, `--list`) and impersonation consult, so they can never
disagree: the admin holds cluster-admin, the read-only viewer may get/list/watch anything but
secrets (as the `view` ClusterRole, which holds credentials back), and every authenticated user
holds system:basic-user, system:discovery and system:public-info-viewer. Denials use the exact
RBAC wording, e.g. `pods "x" is forbidden: User "viewer" cannot delete resource "pods" in API
group "" in the namespace "default"`.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from multidict import CIMultiDictProxy

from kubetui.localcluster.apimachinery import errors

AUTHENTICATED = "system:authenticated"
ADMIN_GROUP = "kubeadm:cluster-admins"  # what kind's admin kubeconfig authenticates as


@dataclass(frozen=True)
class Rule:
    """An RBAC PolicyRule."""

    verbs: tuple[str, ...]
    api_groups: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    non_resource_urls: tuple[str, ...] = ()

    def allows(self, verb: str, group: str, resource: str) -> bool:
        return (_has(self.verbs, verb) and _has(self.api_groups, group)
                and _has(self.resources, resource))

    def allows_path(self, verb: str, path: str) -> bool:
        return _has(self.verbs, verb) and any(
            url == "*" or url == path or (url.endswith("*") and path.startswith(url[:-1]))
            for url in self.non_resource_urls)

    def as_json(self) -> dict:
        if self.non_resource_urls:
            return {"verbs": list(self.verbs), "nonResourceURLs": list(self.non_resource_urls)}
        return {"verbs": list(self.verbs), "apiGroups": list(self.api_groups),
                "resources": list(self.resources)}


def _has(allowed: tuple[str, ...], value: str) -> bool:
    return "*" in allowed or value in allowed


@dataclass(frozen=True)
class Role:
    """A ClusterRole bound to a subject, named as RBAC names it in an `allowed by` reason."""

    binding: str
    role: str
    subject: str  # `Group "x"` or `User "x"`
    rules: tuple[Rule, ...]

    def reason(self) -> str:
        return f'RBAC: allowed by ClusterRoleBinding "{self.binding}" of ClusterRole "{self.role}" to {self.subject}'


CLUSTER_ADMIN = Role(ADMIN_GROUP, "cluster-admin", f'Group "{ADMIN_GROUP}"', (
    Rule(("*",), ("*",), ("*",)), Rule(("*",), non_resource_urls=("*",))))
# RBAC has no exclusions: like the `view` ClusterRole, the viewer's role names what it may read,
# every core resource but secrets and every other group whole.
VIEWER_CORE_RESOURCES = (
    "configmaps", "endpoints", "events", "limitranges", "namespaces", "namespaces/status", "nodes",
    "nodes/status", "persistentvolumeclaims", "pods", "pods/log", "pods/status", "resourcequotas",
    "serviceaccounts", "services", "services/status")
VIEWER_GROUPS = ("apps", "batch", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "policy")
VIEW_ALL = Role("kubetui-viewer", "kubetui-viewer", 'User "viewer"', (
    Rule(("get", "list", "watch"), ("",), VIEWER_CORE_RESOURCES),
    Rule(("get", "list", "watch"), VIEWER_GROUPS, ("*",))))
BASIC_USER = Role("system:basic-user", "system:basic-user", f'Group "{AUTHENTICATED}"', (
    Rule(("create",), ("authorization.k8s.io",), ("selfsubjectaccessreviews", "selfsubjectrulesreviews")),
    Rule(("create",), ("authentication.k8s.io",), ("selfsubjectreviews",))))
DISCOVERY = Role("system:discovery", "system:discovery", f'Group "{AUTHENTICATED}"', (
    Rule(("get",), non_resource_urls=("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
                                      "/openapi", "/openapi/*", "/readyz", "/version", "/version/")),))
PUBLIC_INFO = Role("system:public-info-viewer", "system:public-info-viewer", f'Group "{AUTHENTICATED}"', (
    Rule(("get",), non_resource_urls=("/healthz", "/livez", "/readyz", "/version", "/version/")),))


@dataclass(frozen=True)
class User:
    name: str
    groups: tuple[str, ...] = (AUTHENTICATED,)
    uid: str = ""

    @property
    def roles(self) -> tuple[Role, ...]:
        own: tuple[Role, ...] = ()
        if ADMIN_GROUP in self.groups or "system:masters" in self.groups:
            own = (CLUSTER_ADMIN,)
        elif self.name == VIEWER.name:
            own = (VIEW_ALL,)
        if AUTHENTICATED in self.groups:
            own += (BASIC_USER, DISCOVERY, PUBLIC_INFO)
        return own

    def allowed(self, verb: str, group: str, resource: str) -> Role | None:
        """The role that allows `verb` on `resource` (plural or plural/subresource), if any."""
        return next((role for role in self.roles
                     if any(rule.allows(verb, group, resource) for rule in role.rules)), None)

    def allowed_path(self, verb: str, path: str) -> Role | None:
        return next((role for role in self.roles
                     if any(rule.allows_path(verb, path) for rule in role.rules)), None)

    def rules(self) -> list[Rule]:
        return [rule for role in self.roles for rule in role.rules]


ADMIN = User("kubetui-admin", (ADMIN_GROUP, AUTHENTICATED))
VIEWER = User("viewer", (AUTHENTICATED,))


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


def impersonate(user: User, headers: CIMultiDictProxy[str]) -> User:
    """The user a request acts as after its Impersonate-* headers (kubectl --as, --as-group,
    --as-uid), each of which the caller must be allowed to `impersonate`."""
    name = headers.get("Impersonate-User", "")
    groups = [g for g in headers.getall("Impersonate-Group", []) if g]
    uid = headers.get("Impersonate-Uid", "")
    if not (name or groups or uid):
        return user
    if not name:
        raise errors.bad_request("requested impersonation of groups or uid without impersonating a user")
    for resource, value in [("users", name)] + [("groups", g) for g in groups] + \
            ([("uids", uid)] if uid else []):
        if user.allowed("impersonate", "", resource) is None:
            raise errors.forbidden(resource, value, f'User "{user.name}" cannot impersonate resource '
                                                    f'"{resource}" in API group "" at the cluster scope')
    if name == ADMIN.name and not groups:
        return ADMIN
    if name == VIEWER.name and not groups:
        return VIEWER
    return User(name, tuple(dict.fromkeys(groups + [AUTHENTICATED])), uid)


def authorize(user: User, verb: str, plural: str, group: str, namespace: str, name: str,
              subresource: str = "") -> None:
    resource = f"{plural}/{subresource}" if subresource else plural
    if user.allowed(verb, group, resource) is not None:
        return
    scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    raise errors.forbidden(
        plural, name,
        f'User "{user.name}" cannot {verb} resource "{resource}" in API group "{group}" {scope}',
        group)
