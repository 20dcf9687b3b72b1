"""Image references as the kubelet and containerd see them: parsing, pull results, image IDs.

Key decisions: parsing follows distribution/reference's `ParseNormalizedNamed` (the grammar and
its error texts), because the kubelet turns its error into the InvalidImageName message a user
reads. Nothing is pulled: a tag "exists" unless it says it does not (`:doesnotexist` and
friends), and an unknown single-name Docker Hub repository (a typo such as `ngnix`) is refused
the way Docker Hub refuses it. Digests and sizes are derived from the reference, so the same
image always gets the same imageID.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = f"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"^(?P<name>(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?$")
_IDENTIFIER = re.compile(r"^[a-f0-9]{64}$")
_MISSING_TAG = re.compile(r"(does)?not-?exists?|non-?exist(ent|ing)?|missing|bogus", re.I)

# Official Docker Hub repositories the local cluster knows; other single names are "typos".
OFFICIAL_IMAGES = frozenset({
    "nginx", "httpd", "redis", "busybox", "alpine", "ubuntu", "debian", "python", "node",
    "postgres", "mysql", "memcached", "hello-world", "golang", "openjdk", "eclipse-temurin",
    "ruby", "php", "perl", "rust", "centos", "fedora", "rockylinux", "almalinux",
    "amazonlinux", "mongo", "mariadb", "rabbitmq", "traefik", "haproxy", "caddy", "tomcat",
    "wordpress", "elasticsearch", "registry", "bash", "consul", "vault", "influxdb",
    "grafana", "nats", "cassandra", "zookeeper", "jenkins", "gcc", "swift", "erlang",
})
_SIZES = {  # compressed bytes, roughly the amd64 images of the same names
    "nginx": 44_323_542, "httpd": 58_116_410, "redis": 29_981_330, "busybox": 2_155_525,
    "alpine": 3_623_807, "ubuntu": 29_754_422, "debian": 48_502_176, "python": 412_408_022,
    "node": 398_520_731, "postgres": 153_812_450, "mysql": 172_446_331, "memcached": 31_410_006,
    "hello-world": 10_072, "pause": 320_368, "coredns": 18_562_039, "etcd": 57_680_541,
    "kube-apiserver": 28_384_402, "kube-controller-manager": 26_267_850,
    "kube-scheduler": 20_630_446, "kube-proxy": 30_896_233,
}


class InvalidImageName(ValueError):
    """The reference cannot be parsed; `str()` is the kubelet's waiting message."""

    def __init__(self, image: str, problem: str) -> None:
        self.image = image
        self.problem = problem
        super().__init__(
            f'Failed to apply default image tag "{image}": couldn\'t parse image name '
            f'"{image}": {problem}')


@dataclass(frozen=True)
class ImageRef:
    """A normalized reference: `nginx:1.16` is docker.io / library/nginx / 1.16."""

    original: str
    domain: str
    path: str
    tag: str | None
    digest: str | None

    @property
    def repository(self) -> str:
        """`docker.io/library/nginx`: the name containerd stores."""
        return f"{self.domain}/{self.path}"

    @property
    def name(self) -> str:
        """The last path component: `nginx`, `coredns`, `pause`."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def normalized(self) -> str:
        """What the kubelet pulls: `docker.io/library/nginx:1.16` (latest added when absent)."""
        if self.digest and not self.tag:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag or 'latest'}"

    @property
    def is_official(self) -> bool:
        return self.domain == DEFAULT_DOMAIN and self.path.startswith("library/")

    @property
    def repo_digest(self) -> str:
        """The manifest digest registries would answer for this reference."""
        if self.digest:
            return self.digest
        return "sha256:" + hashlib.sha256(self.normalized.encode()).hexdigest()

    @property
    def image_id(self) -> str:
        """containerStatuses[].imageID: `docker.io/library/nginx@sha256:…`."""
        return f"{self.repository}@{self.repo_digest}"

    @property
    def size_bytes(self) -> int:
        base = _SIZES.get(self.name)
        if base is None:
            base = 20_000_000 + int(hashlib.sha256(self.path.encode()).hexdigest()[:6], 16) * 8
        if self.tag and "alpine" in self.tag and self.name not in ("alpine", "busybox"):
            base = base // 3
        if self.tag and "slim" in self.tag:
            base = base // 2
        return base


def parse_image(image: str) -> ImageRef:
    """Parse and normalize like ParseNormalizedNamed; raises InvalidImageName."""
    if _IDENTIFIER.match(image):
        raise InvalidImageName(
            image, f"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = _split_domain(image)
    remote_name = remainder.split(":", 1)[0]
    if remote_name.lower() != remote_name:
        raise InvalidImageName(
            image, f"invalid reference format: repository name ({remote_name}) must be lowercase")
    candidate = f"{domain}/{remainder}"
    match = _REFERENCE.match(candidate)
    if match is None:
        if not image:
            raise InvalidImageName(image, "repository name must have at least one component")
        if _REFERENCE.match(candidate.lower()):
            raise InvalidImageName(image, "invalid reference format: repository name must be lowercase")
        raise InvalidImageName(image, "invalid reference format")
    if len(match.group("name")) > 255:
        raise InvalidImageName(image, "repository name must not be more than 255 characters")
    digest = match.group("digest")
    if digest and digest.startswith("sha256:") and len(digest) != len("sha256:") + 64:
        raise InvalidImageName(image, "invalid checksum digest length")
    path = match.group("name")[len(domain) + 1:]
    return ImageRef(image, domain, path, match.group("tag"), digest)


def _split_domain(name: str) -> tuple[str, str]:
    head, slash, rest = name.partition("/")
    if not slash or ("." not in head and ":" not in head and head != "localhost"
                     and head.lower() == head):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = head, rest
    if domain == "index.docker.io":
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def pull_error(ref: ImageRef) -> str | None:
    """containerd's answer when the pull cannot succeed, or None when it would."""
    full = ref.normalized
    if ref.is_official and ref.name not in OFFICIAL_IMAGES:
        return (f'failed to pull and unpack image "{full}": failed to resolve reference '
                f'"{full}": pull access denied, repository does not exist or may require '
                f"authorization: server message: insufficient_scope: authorization failed")
    if ref.tag and _MISSING_TAG.search(ref.tag):
        return (f'failed to pull and unpack image "{full}": failed to resolve reference '
                f'"{full}": {full}: not found')
    return None


def pull_failure_message(image: str, ref: ImageRef) -> str | None:
    """The kubelet's ErrImagePull message (`rpc error: code = … desc = …`), or None."""
    error = pull_error(ref)
    if error is None:
        return None
    code = "Unknown" if "pull access denied" in error else "NotFound"
    return f'Failed to pull image "{image}": rpc error: code = {code} desc = {error}'


def pull_seconds(ref: ImageRef) -> float:
    """Simulated pull time: a second of registry round trips plus ~60 MB/s, at most 4 s."""
    return round(min(4.0, 1.0 + ref.size_bytes / 60_000_000), 3)


def go_duration(seconds: float) -> str:
    """Go's Duration.String() of a millisecond-truncated duration: `806ms`, `1.5s`, `2s`."""
    millis = int(seconds * 1000)
    if millis < 1000:
        return f"{millis}ms"
    whole, rest = divmod(millis, 1000)
    if whole >= 60:
        minutes, whole = divmod(whole, 60)
        text = f"{whole}.{rest:03d}".rstrip("0").rstrip(".")
        return f"{minutes}m{text}s"
    return f"{whole}.{rest:03d}".rstrip("0").rstrip(".") + "s"


def default_pull_policy(image: str) -> str:
    """Always for `:latest` or no tag, IfNotPresent otherwise (the API server's default)."""
    try:
        ref = parse_image(image)
    except InvalidImageName:
        return "IfNotPresent"
    if ref.digest:
        return "IfNotPresent"
    return "Always" if ref.tag in (None, "latest") else "IfNotPresent"
