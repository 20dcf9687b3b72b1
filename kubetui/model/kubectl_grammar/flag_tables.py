"""Every flag kubectl 1.37 defines for the commands kubetui accepts, and which ones it acts on.

Read from `kubectl <command> --help` and `kubectl options` (plus the hidden, deprecated
`--record`); `+` marks the flags kubetui acts on. Key decision: the full lists stay here even
for flags kubetui ignores, so that "unknown flag" means exactly what it means in kubectl.
"""

from __future__ import annotations

from kubetui.model.kubectl_grammar.flagset import flag_table

GLOBAL = flag_table("""
- as string
- as-group array
- as-uid string
- as-user-extra array
- cache-dir string
- certificate-authority string
- client-certificate string
- client-key string
- cluster string
- context string +
- disable-compression bool
h help bool
- insecure-skip-tls-verify bool
- kubeconfig string
- kuberc string
- log-flush-frequency duration
- match-server-version bool
n namespace string +
- password string
- profile string
- profile-output string
- proxy-url string
- request-timeout string
s server string
- tls-server-name string
- token string
- user string
- username string
v v int
- vmodule string
- warnings-as-errors bool
""")

_FILES = """
f filename strings
k kustomize string
R recursive bool
"""
_PRINT = """
- allow-missing-template-keys bool
o output string
- show-managed-fields bool
- template string
"""
_RECORD = """
- record bool
"""

GET = flag_table("""
A all-namespaces bool +
- chunk-size int
- field-selector string +
- ignore-not-found bool
L label-columns strings
- no-headers bool
o output string +
- output-watch-events bool
- raw string
l selector string +
- server-print bool
- show-kind bool
- show-labels bool
- sort-by string
- subresource string
w watch bool +
- watch-only bool
""" + _FILES + _PRINT)

DESCRIBE = flag_table("""
A all-namespaces bool +
- chunk-size int
l selector string +
- show-events bool
""" + _FILES)

LOGS = flag_table("""
- all-containers bool +
- all-pods bool
c container string +
f follow bool +
- ignore-errors bool
- insecure-skip-tls-verify-backend bool
- limit-bytes int
- max-log-requests int
- pod-running-timeout duration
- prefix bool +
p previous bool +
l selector string +
- since duration +
- since-time string
- tail int +
- timestamps bool +
""")

EXEC = flag_table("""
c container string +
f filename strings
- pod-running-timeout duration
q quiet bool
i stdin bool +
t tty bool +
""")

APPLY = flag_table("""
f filename strings +
R recursive bool +
- dry-run string=unchanged +
- server-side bool +
- force-conflicts bool +
- all bool
- cascade string=background
- field-manager string
- force bool
- grace-period int
k kustomize string
- openapi-patch bool
- overwrite bool
- prune bool
- prune-allowlist array
l selector string
- subresource string
- timeout duration
- validate string=strict
- wait bool
""" + _PRINT + _RECORD)

DELETE = flag_table("""
f filename strings +
R recursive bool +
l selector string +
- all bool +
- dry-run string=unchanged +
- force bool +
- grace-period int +
- ignore-not-found bool +
- now bool +
A all-namespaces bool +
- cascade string=background
- field-selector string
i interactive bool
k kustomize string
o output string
- raw string
- timeout duration
- wait bool
""")

SCALE = flag_table("""
- replicas int +
- current-replicas int +
l selector string +
- all bool +
- dry-run string=unchanged +
- resource-version string
- timeout duration
""" + _FILES + _PRINT + _RECORD)

ROLLOUT_STATUS = flag_table("""
w watch bool +
- revision int +
- timeout duration +
l selector string
""" + _FILES)

ROLLOUT_RESTART = flag_table("""
l selector string +
- field-manager string
""" + _FILES + _PRINT)

ROLLOUT_UNDO = flag_table("""
- to-revision int +
- dry-run string=unchanged +
l selector string
""" + _FILES + _PRINT)

ROLLOUT_HISTORY = flag_table("""
- revision int +
l selector string
""" + _FILES + _PRINT)

_METADATA = """
- all bool +
l selector string +
- overwrite bool +
- dry-run string=unchanged +
A all-namespaces bool
- field-manager string
- field-selector string
- list bool
- local bool
- resource-version string
""" + _FILES + _PRINT + _RECORD
LABEL = flag_table(_METADATA)
ANNOTATE = flag_table(_METADATA)

CREATE_NAMESPACE = flag_table("""
- dry-run string=unchanged +
- field-manager string
- save-config bool
- validate string=strict
""" + _PRINT)

EDIT = flag_table("""
- field-manager string
- output-patch bool
- save-config bool
- subresource string
- validate string=strict
- windows-line-endings bool
""" + _FILES + _PRINT + _RECORD)

PORT_FORWARD = flag_table("""
- address strings +
- pod-running-timeout duration
""")

USE_CONTEXT = flag_table("""
- kubeconfig string
""")

SET_CONTEXT = flag_table("""
- current bool +
n namespace string +
- cluster string
- user string
- kubeconfig string
""")

API_RESOURCES = flag_table("""
- api-group string +
- categories strings +
- namespaced bool +
- no-headers bool +
o output string +
- sort-by string +
- verbs strings +
- cached bool
- show-managed-fields bool
""")

EXPLAIN = flag_table("""
- api-version string +
R recursive bool +
- max-depth int
o output string
""")

VERSION = flag_table("""
- client bool +
o output string +
""")

CLUSTER_INFO = flag_table("")

# The parents of subcommands: only the global flags may stand between them and the subcommand.
PARENT = flag_table("")
