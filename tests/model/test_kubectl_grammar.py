"""The `:` command line's kubectl grammar: lines in, typed requests (or kubectl's error) out.

Table-driven, one named case per line. The expected errors are kubectl 1.37's words, checked
against the venv's kubectl in test_kubectl_grammar_vs_kubectl.py.
"""

from __future__ import annotations

import shlex

import pytest

from kubetui.model.kubectl_grammar import (
    AnnotateRequest, ApiResourcesRequest, ApplyRequest, ClusterInfoRequest, CreateNamespaceRequest, DeleteRequest,
    DescribeRequest, EditRequest, ExecRequest, ExplainRequest, GetRequest, GrammarError, LabelRequest, LogsRequest,
    MetadataChange, PortForwardRequest, PortMapping, RolloutRequest, ScaleRequest, SetContextNamespaceRequest,
    UseContextRequest, VersionRequest, ViewRequest, kubectl_default_container, parse_argv, parse_command_line,
    readonly_refusal,
)
from kubetui.model.kubectl_grammar.go_values import parse_duration
from kubetui.model.command_words import split_words, words_of

from tests.model.grammar_tables import LOCAL, WITH_CRD, kind, target

POD = target("pods")


def parse(line, table=LOCAL, **options):
    return parse_command_line(line, table, **options)


# The commands of the study notes, exactly as written there.
STUDY_NOTES = [
    pytest.param("kubectl apply -f sample-pod.yaml",
                 ApplyRequest(filenames=("sample-pod.yaml",)), id="apply -f sample-pod.yaml"),
    pytest.param("kubectl get pods", GetRequest(targets=(POD,)), id="get pods"),
    pytest.param("kubectl exec -it sample-2pod -c nginx-container -- /bin/ls",
                 ExecRequest(target=target("pods", "sample-2pod"), container="nginx-container",
                             argv=("/bin/ls",), stdin=True, tty=True), id="exec -c container"),
    pytest.param('kubectl exec -it sample-pod -- /bin/bash -c "ls --all --classify | grep lib"',
                 ExecRequest(target=target("pods", "sample-pod"), stdin=True, tty=True,
                             argv=("/bin/bash", "-c", "ls --all --classify | grep lib")), id="exec bash -c quoted"),
    pytest.param("kubectl exec -it sample-pod -- /bin/ls --all --classify",
                 ExecRequest(target=target("pods", "sample-pod"), stdin=True, tty=True,
                             argv=("/bin/ls", "--all", "--classify")), id="exec flags after --"),
    pytest.param("kubectl exec -it sample-pod -- /bin/bash",
                 ExecRequest(target=target("pods", "sample-pod"), stdin=True, tty=True, argv=("/bin/bash",)),
                 id="exec bash"),
]


@pytest.mark.parametrize(("line", "expected"), STUDY_NOTES)
def test_study_notes_commands(line, expected):
    assert parse(line) == expected


@pytest.mark.parametrize(("line", "expected"), STUDY_NOTES)
def test_the_leading_kubectl_is_optional(line, expected):
    assert parse(line.removeprefix("kubectl ")) == expected


KUBE_SYSTEM_PODS = GetRequest(targets=(POD,), namespace="kube-system")

FLAG_PLACEMENTS = [
    pytest.param("get pods -n kube-system", KUBE_SYSTEM_PODS, id="-n ns after"),
    pytest.param("get -n kube-system pods", KUBE_SYSTEM_PODS, id="-n ns between"),
    pytest.param("-n kube-system get pods", KUBE_SYSTEM_PODS, id="-n ns before the command"),
    pytest.param("kubectl -n kube-system get pods", KUBE_SYSTEM_PODS, id="-n ns after kubectl"),
    pytest.param("get pods -nkube-system", KUBE_SYSTEM_PODS, id="-nns"),
    pytest.param("get pods -n=kube-system", KUBE_SYSTEM_PODS, id="-n=ns"),
    pytest.param("get pods --namespace=kube-system", KUBE_SYSTEM_PODS, id="--namespace=ns"),
    pytest.param("get pods --namespace kube-system", KUBE_SYSTEM_PODS, id="--namespace ns"),
    pytest.param("get pods -n other -n kube-system", KUBE_SYSTEM_PODS, id="the last -n wins"),
    pytest.param("get pods -n ''", GetRequest(targets=(POD,)), id="empty -n means the context's"),
    pytest.param("get pods -Aw", GetRequest(targets=(POD,), all_namespaces=True, watch=True), id="-Aw combined"),
    pytest.param("get pods -Aw=false", GetRequest(targets=(POD,), all_namespaces=True), id="-Aw=false"),
    pytest.param("get pods --watch=false -A=true", GetRequest(targets=(POD,), all_namespaces=True),
                 id="bool flags take =false and =true"),
    pytest.param("get pods --all_namespaces", GetRequest(targets=(POD,), all_namespaces=True),
                 id="underscore reads as dash"),
    pytest.param("get -owide pods", GetRequest(targets=(POD,), output="wide"), id="-owide"),
    pytest.param("get pods -o=yaml", GetRequest(targets=(POD,), output="yaml"), id="-o=yaml"),
    pytest.param("get pods --output json", GetRequest(targets=(POD,), output="json"), id="--output json"),
    pytest.param("get pods -l app=web --field-selector status.phase=Running --context kind-a",
                 GetRequest(targets=(POD,), selector="app=web", field_selector="status.phase=Running",
                            context="kind-a"), id="selectors and context"),
    pytest.param("get pods -- -n", GetRequest(targets=(target("pods", "-n"),)), id="-- ends the flags"),
    pytest.param("exec sample-pod -ti -c nginx-container -- ls",
                 ExecRequest(target=target("pods", "sample-pod"), container="nginx-container", argv=("ls",),
                             stdin=True, tty=True), id="exec flags after the pod"),
    pytest.param("exec -i -t sample-pod -- ls",
                 ExecRequest(target=target("pods", "sample-pod"), argv=("ls",), stdin=True, tty=True),
                 id="exec -i -t apart"),
    pytest.param("exec sample-pod -- ls -it -n x",
                 ExecRequest(target=target("pods", "sample-pod"), argv=("ls", "-it", "-n", "x")),
                 id="flags after -- belong to the command"),
]


@pytest.mark.parametrize(("line", "expected"), FLAG_PLACEMENTS)
def test_flag_placements(line, expected):
    assert parse(line) == expected


COMMANDS = [
    pytest.param("get pods,svc", GetRequest(targets=(POD, target("services"))), id="get two types"),
    pytest.param("get pods web db", GetRequest(targets=(target("pods", "web"), target("pods", "db"))),
                 id="get TYPE NAME NAME"),
    pytest.param("get pod/web deploy/api", GetRequest(targets=(target("pods", "web"), target("deploy", "api"))),
                 id="get TYPE/NAME TYPE/NAME"),
    pytest.param("get pods,svc web", GetRequest(targets=(target("pods", "web"), target("svc", "web"))),
                 id="get TYPES NAME"),
    pytest.param("get all", GetRequest(targets=tuple(target(t) for t in ("pods", "svc", "ds", "deploy", "rs", "cj",
                                                                        "jobs"))),
                 id="get a category"),
    pytest.param("get deploy -o name -w", GetRequest(targets=(target("deployments"),), output="name", watch=True),
                 id="get -o name -w"),
    pytest.param("describe pod web", DescribeRequest(targets=(target("pods", "web"),)), id="describe TYPE NAME"),
    pytest.param("describe no/node-1", DescribeRequest(targets=(target("nodes", "node-1"),)),
                 id="describe TYPE/NAME"),
    pytest.param("describe pods", DescribeRequest(targets=(POD,)), id="describe every pod"),
    pytest.param("logs web -c app -f --previous --tail 20 --since 5m --timestamps --prefix",
                 LogsRequest(target=target("pods", "web"), container="app", follow=True, previous=True, tail=20,
                             since_seconds=300, timestamps=True, prefix=True), id="logs with every flag"),
    pytest.param("logs web app", LogsRequest(target=target("pods", "web"), container="app"),
                 id="logs POD CONTAINER"),
    pytest.param("logs deploy/api --all-containers",
                 LogsRequest(target=target("deployments", "api"), all_containers=True), id="logs TYPE/NAME"),
    pytest.param("logs -l app=web", LogsRequest(selector="app=web", tail=10), id="logs -l: kubectl's tail 10"),
    pytest.param("logs -l app=web --tail=-1", LogsRequest(selector="app=web"), id="logs -l --tail=-1: all"),
    pytest.param("logs web --since=1h30m", LogsRequest(target=target("pods", "web"), since_seconds=5400),
                 id="logs --since Go duration"),
    pytest.param("apply -f a.yaml,b.yaml -f dir -R --dry-run=server --server-side --force-conflicts",
                 ApplyRequest(filenames=("a.yaml", "b.yaml", "dir"), recursive=True, dry_run="server",
                              server_side=True, force_conflicts=True), id="apply with every flag"),
    pytest.param("apply -f a.yaml --dry-run", ApplyRequest(filenames=("a.yaml",), dry_run="client"),
                 id="bare --dry-run is client"),
    pytest.param("delete pod web db", DeleteRequest(targets=(target("pods", "web"), target("pods", "db"))),
                 id="delete TYPE NAME NAME"),
    pytest.param("delete -f sample-pod.yaml", DeleteRequest(filenames=("sample-pod.yaml",)), id="delete -f"),
    pytest.param("delete pods -l app=web", DeleteRequest(targets=(POD,), selector="app=web", ignore_not_found=True),
                 id="delete -l"),
    pytest.param("delete pods --all --now", DeleteRequest(targets=(POD,), all=True, grace_period=1,
                                                          ignore_not_found=True), id="delete --all --now"),
    pytest.param("delete pod web --force", DeleteRequest(targets=(target("pods", "web"),), force=True,
                                                         grace_period=0), id="delete --force"),
    pytest.param("scale deploy/api --replicas=3",
                 ScaleRequest(targets=(target("deployments", "api"),), replicas=3), id="scale"),
    pytest.param("scale deploy api --replicas 0 --current-replicas 2",
                 ScaleRequest(targets=(target("deployments", "api"),), replicas=0, current_replicas=2),
                 id="scale to zero"),
    pytest.param("rollout status deploy/api", RolloutRequest(action="status", targets=(target("deploy", "api"),)),
                 id="rollout status"),
    pytest.param("rollout status deploy/api -w=false --timeout 1m",
                 RolloutRequest(action="status", targets=(target("deploy", "api"),), watch=False,
                                timeout_seconds=60.0), id="rollout status no watch"),
    pytest.param("rollout restart deployment api",
                 RolloutRequest(action="restart", targets=(target("deploy", "api"),)), id="rollout restart"),
    pytest.param("rollout undo deploy/api --to-revision=2",
                 RolloutRequest(action="undo", targets=(target("deploy", "api"),), to_revision=2), id="rollout undo"),
    pytest.param("rollout history deploy/api --revision 3",
                 RolloutRequest(action="history", targets=(target("deploy", "api"),), revision=3),
                 id="rollout history"),
    pytest.param("label pods web tier=front old- --overwrite",
                 LabelRequest(targets=(target("pods", "web"),), overwrite=True,
                              changes=(MetadataChange("tier", "front"), MetadataChange("old", None))), id="label"),
    pytest.param("label pods --all tier=front",
                 LabelRequest(targets=(POD,), all=True, changes=(MetadataChange("tier", "front"),)),
                 id="label --all"),
    pytest.param("annotate deploy/api note='a=b c' gone-",
                 AnnotateRequest(targets=(target("deploy", "api"),),
                                 changes=(MetadataChange("note", "a=b c"), MetadataChange("gone", None))),
                 id="annotate"),
    pytest.param("create namespace team-a", CreateNamespaceRequest(name="team-a"), id="create namespace"),
    pytest.param("create ns team-a --dry-run=client", CreateNamespaceRequest(name="team-a", dry_run="client"),
                 id="create ns alias"),
    pytest.param("create -n default namespace team-a", CreateNamespaceRequest(name="team-a", namespace="default"),
                 id="a global flag before the subcommand"),
    pytest.param("rollout -n team-a status deploy/api",
                 RolloutRequest(action="status", targets=(target("deploy", "api"),), namespace="team-a"),
                 id="a global flag between rollout and status"),
    pytest.param("edit deploy api", EditRequest(targets=(target("deploy", "api"),)), id="edit TYPE NAME"),
    pytest.param("port-forward web 8080:80 :9090 8443 http",
                 PortForwardRequest(target=target("pods", "web"), ports=(
                     PortMapping(8080, "80"), PortMapping(0, "9090"), PortMapping(8443, "8443"),
                     PortMapping(None, "http"))), id="port-forward forms"),
    pytest.param("port-forward svc/api 8080:http --address 0.0.0.0,localhost",
                 PortForwardRequest(target=target("services", "api"), ports=(PortMapping(8080, "http"),),
                                    addresses=("0.0.0.0", "localhost")), id="port-forward TYPE/NAME"),
    pytest.param("config use-context kind-b", UseContextRequest(name="kind-b"), id="config use-context"),
    pytest.param("config use kind-b", UseContextRequest(name="kind-b"), id="config use alias"),
    pytest.param("config set-context --current --namespace=team-a",
                 SetContextNamespaceRequest(context_name=None, new_namespace="team-a"), id="set-context --current"),
    pytest.param("config set-context kind-b -n team-a",
                 SetContextNamespaceRequest(context_name="kind-b", new_namespace="team-a"),
                 id="set-context NAME -n"),
    pytest.param("api-resources", ApiResourcesRequest(), id="api-resources"),
    pytest.param("api-resources --namespaced=false -o wide --api-group apps --verbs list,watch --sort-by kind",
                 ApiResourcesRequest(namespaced=False, output="wide", api_group="apps", verbs=("list", "watch"),
                                     sort_by="kind"), id="api-resources flags"),
    pytest.param("explain pods.spec.containers", ExplainRequest(resource=kind("pods"),
                                                                field_path=("spec", "containers")), id="explain"),
    pytest.param("explain deploy --recursive", ExplainRequest(resource=kind("deployments"), recursive=True),
                 id="explain --recursive"),
    pytest.param("version", VersionRequest(), id="version"),
    pytest.param("version --client -o yaml", VersionRequest(client_only=True, output="yaml"), id="version flags"),
    pytest.param("cluster-info", ClusterInfoRequest(), id="cluster-info"),
]


@pytest.mark.parametrize(("line", "expected"), COMMANDS)
def test_commands(line, expected):
    assert parse(line) == expected


BARE_RESOURCES = [
    pytest.param("deploy", ViewRequest(resource=kind("deployments")), id="short name"),
    pytest.param("pods", ViewRequest(resource=kind("pods")), id="plural"),
    pytest.param("pod", ViewRequest(resource=kind("pods")), id="singular"),
    pytest.param("po", ViewRequest(resource=kind("pods")), id="po"),
    pytest.param("rs", ViewRequest(resource=kind("replicasets")), id="rs"),
    pytest.param("ns", ViewRequest(resource=kind("namespaces")), id="ns"),
    pytest.param("no", ViewRequest(resource=kind("nodes")), id="no"),
    pytest.param("ev", ViewRequest(resource=kind("events")), id="ev"),
    pytest.param("svc", ViewRequest(resource=kind("services")), id="svc"),
    pytest.param("cm", ViewRequest(resource=kind("configmaps")), id="cm"),
    pytest.param("deployments.apps", ViewRequest(resource=kind("deployments")), id="plural.group"),
    pytest.param("kubectl pods -A", ViewRequest(resource=kind("pods"), all_namespaces=True), id="-A"),
    pytest.param("deploy -n team-a -l app=web",
                 ViewRequest(resource=kind("deployments"), namespace="team-a", selector="app=web"), id="-n and -l"),
]


@pytest.mark.parametrize(("line", "expected"), BARE_RESOURCES)
def test_bare_resources_switch_the_view(line, expected):
    assert parse(line) == expected


RESOLUTION = [
    pytest.param("pods", "pods", "", id="plural"),
    pytest.param("PODS", "pods", "", id="plural in capitals"),
    pytest.param("Pod", "pods", "", id="kind"),
    pytest.param("Deployment", "deployments", "apps", id="kind in a group"),
    pytest.param("deploy.apps", "deployments", "apps", id="short.group"),
    pytest.param("deploy.ap", "deployments", "apps", id="a group prefix is enough"),
    pytest.param("deployments.v1.apps", "deployments", "apps", id="resource.version.group"),
    pytest.param("ConfigMap.v1.", "configmaps", "", id="Kind.version. of the core group"),
    pytest.param("pods.", "pods", "", id="an empty group"),
    pytest.param("ev", "events", "", id="the core group comes first"),
    pytest.param("events.events.k8s.io", "events", "events.k8s.io", id="another group by name"),
    pytest.param("ct", "crontabs", "stable.example.com", id="CRD short name"),
    pytest.param("crontab", "crontabs", "stable.example.com", id="CRD singular"),
    pytest.param("CronTab", "crontabs", "stable.example.com", id="CRD kind"),
]


@pytest.mark.parametrize(("typed", "plural", "group"), RESOLUTION)
def test_resource_names_resolve_as_kubectl_resolves_them(typed, plural, group):
    resource = WITH_CRD.resolve(typed)
    assert (resource.plural, resource.group) == (plural, group)


def test_a_crd_in_the_all_category_is_listed_with_the_rest():
    assert [r.plural for r in WITH_CRD.resolve_types("all")] == ["pods", "services", "daemonsets", "deployments",
                                                                 "replicasets", "cronjobs", "jobs", "crontabs"]


def test_a_crd_works_in_every_place_a_type_goes():
    assert parse("get ct nightly -o yaml", WITH_CRD) == GetRequest(
        targets=(target("crontabs", "nightly", WITH_CRD),), output="yaml")
    assert parse("ct", WITH_CRD) == ViewRequest(resource=kind("crontabs", WITH_CRD))


QUOTING = [
    pytest.param("a 'b c' d", ["a", "b c", "d"], id="single quotes"),
    pytest.param('a "b c" d', ["a", "b c", "d"], id="double quotes"),
    pytest.param(r"a b\ c", ["a", "b c"], id="escaped blank"),
    pytest.param("a 'it''s' x", ["a", "its", "x"], id="adjacent quotes join"),
    pytest.param("""a "it's" 'say "hi"'""", ["a", "it's", 'say "hi"'], id="quotes inside the other quotes"),
    pytest.param(r'"a\"b" "c\\d" "e\f"', ['a"b', "c\\d", "e\\f"], id="backslash in double quotes"),
    pytest.param("a '' b", ["a", "", "b"], id="empty quoted word"),
    pytest.param("  a\tb\n c  ", ["a", "b", "c"], id="blanks"),
    pytest.param("""--from-literal='k=v w' "-l=a in (x,y)" """, ["--from-literal=k=v w", "-l=a in (x,y)"],
                 id="quoted parts of a flag"),
]


@pytest.mark.parametrize(("line", "words"), QUOTING)
def test_quoting_splits_as_shlex_does(line, words):
    assert words_of(line) == words == shlex.split(line)


def test_double_quotes_unescape_dollar_and_backquote_as_bash_does():
    assert words_of(r'echo "\$HOME \`x\`" $HOME') == ["echo", "$HOME `x`", "$HOME"]


def test_each_character_remembers_where_it_was_typed():
    (word,) = split_words("""  'a b'"c" """).words
    assert (word.text, word.start, word.end, word.offsets) == ("a bc", 2, 10, (3, 4, 5, 8))


ERRORS = [
    pytest.param("get pods --bogus", "error: unknown flag: --bogus", id="unknown flag"),
    pytest.param("get pods -z", "error: unknown shorthand flag: 'z' in -z", id="unknown shorthand"),
    pytest.param("get pods -Az", "error: unknown shorthand flag: 'z' in -z", id="unknown shorthand in a group"),
    pytest.param("describe pods web -o yaml", "error: unknown shorthand flag: 'o' in -o",
                 id="-o is not describe's"),
    pytest.param("get pods -n", "error: flag needs an argument: 'n' in -n", id="-n without a value"),
    pytest.param("get pods --namespace", "error: flag needs an argument: --namespace",
                 id="--namespace without a value"),
    pytest.param("logs web -c", "error: flag needs an argument: 'c' in -c", id="-c without a value"),
    pytest.param("get pods ---x", "error: bad flag syntax: ---x", id="bad flag syntax"),
    pytest.param("get pods -w=maybe", 'error: invalid argument "maybe" for "-w, --watch" flag: '
                 'strconv.ParseBool: parsing "maybe": invalid syntax', id="bad bool"),
    pytest.param("logs web --tail abc", 'error: invalid argument "abc" for "--tail" flag: '
                 'strconv.ParseInt: parsing "abc": invalid syntax', id="bad int"),
    pytest.param("logs web --since 5x", 'error: invalid argument "5x" for "--since" flag: '
                 'time: unknown unit "x" in duration "5x"', id="bad duration unit"),
    pytest.param("logs web --since 5", 'error: invalid argument "5" for "--since" flag: '
                 'time: missing unit in duration "5"', id="duration without unit"),
    pytest.param("get foo", 'error: the server doesn\'t have a resource type "foo"', id="unknown resource type"),
    pytest.param("get pods,foo", 'error: the server doesn\'t have a resource type "foo"', id="unknown in a list"),
    pytest.param("get pod.apps", 'error: the server doesn\'t have a resource type "pod" in group "apps"',
                 id="unknown in a group"),
    pytest.param("get PO", 'error: the server doesn\'t have a resource type "PO"',
                 id="short names are case-sensitive"),
    pytest.param("exec sample-pod", "error: you must specify at least one command for the container",
                 id="exec without a command"),
    pytest.param("exec sample-pod --", "error: you must specify at least one command for the container",
                 id="exec with an empty command"),
    pytest.param("exec sample-pod ls", "error: exec [POD] [COMMAND] is not supported anymore. "
                 "Use exec [POD] -- [COMMAND] instead", id="exec without --"),
    pytest.param("exec pod/a b -- ls", "error: exec [POD] [COMMAND] is not supported anymore. "
                 "Use exec [POD] -- [COMMAND] instead", id="exec with two arguments before --"),
    pytest.param("exec -it", "error: pod, type/name or --filename must be specified", id="exec without a pod"),
    pytest.param("exec -- ls", "error: pod, type/name or --filename must be specified", id="exec -- only"),
    pytest.param("delete pods", "error: resource(s) were provided, but no name was specified",
                 id="delete without a name"),
    pytest.param("scale deploy --replicas=2", "error: resource(s) were provided, but no name was specified",
                 id="scale without a name"),
    pytest.param("label pods a=b", "error: resource(s) were provided, but no name was specified",
                 id="label without a name"),
    pytest.param("delete", "error: You must provide one or more resources by argument or filename.",
                 id="delete nothing"),
    pytest.param("delete --all", "error: at least one resource must be specified to use a selector",
                 id="delete --all without a type"),
    pytest.param("delete pods --all web", "error: name cannot be provided when a selector is specified",
                 id="delete --all with a name"),
    pytest.param("delete pods --all -l a=b", "error: setting 'all' parameter but found a non empty selector. ",
                 id="delete --all and -l"),
    pytest.param("delete -A pods web", "error: a resource cannot be retrieved by name across all namespaces",
                 id="a name across all namespaces"),
    pytest.param("delete pods web -f x.yaml", "error: when paths, URLs, or stdin is provided as input, "
                 "you may not specify resource arguments as well", id="delete names and files"),
    pytest.param("get pods pod/web", "error: there is no need to specify a resource type as a separate argument "
                 "when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                 "instead of 'kubectl get resource resource/<resource_name>'", id="TYPE then TYPE/NAME"),
    pytest.param("get pods/a/b", "error: arguments in resource/name form may not have more than one slash",
                 id="two slashes"),
    pytest.param("get pod/", "error: arguments in resource/name form must have a single resource and name",
                 id="no name after the slash"),
    pytest.param("get", 'error: You must specify the type of resource to get. Use "kubectl api-resources" for a '
                 "complete list of supported resources.", id="get nothing"),
    pytest.param("describe", 'error: You must specify the type of resource to describe. Use "kubectl '
                 'api-resources" for a complete list of supported resources.', id="describe nothing"),
    pytest.param("logs", "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'. POD or TYPE/NAME "
                 "is a required argument for the logs command", id="logs nothing"),
    pytest.param("logs web -l app=web", "error: only a selector (-l) or a POD name is allowed",
                 id="logs pod and selector"),
    pytest.param("logs web app -c other", "error: only one of -c or an inline [CONTAINER] arg is allowed",
                 id="logs container twice"),
    pytest.param("logs web -c app --all-containers",
                 "error: --all-containers=true should not be specified with container name app",
                 id="logs -c and --all-containers"),
    pytest.param("logs web --tail=-2", "error: --tail must be greater than or equal to -1", id="logs --tail=-2"),
    pytest.param("logs web --since=-5m", "error: --since must be greater than 0", id="logs negative --since"),
    pytest.param("apply", "error: must specify one of -f and -k", id="apply without -f"),
    pytest.param("apply sample-pod.yaml", "error: Unexpected args: [sample-pod.yaml]", id="apply FILE without -f"),
    pytest.param("apply -f x.yaml --dry-run=bogus",
                 'error: Invalid dry-run value (bogus). Must be "none", "server", or "client".', id="bad --dry-run"),
    pytest.param("apply -f x.yaml --force-conflicts", "error: --force-conflicts only works with --server-side",
                 id="--force-conflicts alone"),
    pytest.param("scale deploy/api", 'error: required flag(s) "replicas" not set', id="scale without --replicas"),
    pytest.param("scale deploy/api --replicas=-1",
                 "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
                 id="negative replicas"),
    pytest.param("rollout status", "error: required resource not specified", id="rollout status nothing"),
    pytest.param("rollout undo deploy/x --to-revision=a", 'error: invalid argument "a" for "--to-revision" flag: '
                 'strconv.ParseInt: parsing "a": invalid syntax', id="rollout undo bad revision"),
    pytest.param("label", "error: one or more resources must be specified as <resource> <name> or "
                 "<resource>/<name>", id="label nothing"),
    pytest.param("label pods web", "error: at least one label update is required", id="label without a change"),
    pytest.param("annotate pods web", "error: at least one annotation update is required",
                 id="annotate without a change"),
    pytest.param("label pods web a=b=c", "error: invalid label spec: a=b=c", id="bad label spec"),
    pytest.param("label pods web a=b c", "error: all resources must be specified before label changes: c",
                 id="resource after a label"),
    pytest.param("label pods web a=b a-", "error: can not both modify and remove a label in the same command",
                 id="label set and removed"),
    pytest.param("annotate pods web a=b a-", "error: can not both modify and remove the following annotation(s) "
                 "in the same command: a", id="annotation set and removed"),
    pytest.param("label pods web a=-b", "error: invalid label value: \"a=-b\": a valid label must be an empty "
                 "string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                 "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation "
                 "is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", id="bad label value"),
    pytest.param("create namespace", "error: exactly one NAME is required, got 0", id="create namespace nothing"),
    pytest.param("create namespace a b", "error: exactly one NAME is required, got 2", id="create namespace two"),
    pytest.param("edit", "error: You must provide one or more resources by argument or filename.",
                 id="edit nothing"),
    pytest.param("port-forward web", "error: TYPE/NAME and list of ports are required for port-forward",
                 id="port-forward without ports"),
    pytest.param("port-forward web abc:80", "error: error parsing local port 'abc': strconv.ParseUint: parsing "
                 '"abc": invalid syntax', id="bad local port"),
    pytest.param("port-forward web 99999", "error: error parsing local port '99999': strconv.ParseUint: parsing "
                 '"99999": value out of range', id="port out of range"),
    pytest.param("port-forward web :80 --address=bogus", "error: bogus is not a valid IP", id="bad address"),
    pytest.param("config set-context --namespace=x", "error: you must specify a non-empty context name or --current",
                 id="set-context without a context"),
    pytest.param("config set-context a --current --namespace=x",
                 "error: you cannot specify both a context name and --current", id="set-context name and --current"),
    pytest.param("api-resources extra", "error: unexpected arguments: [extra]", id="api-resources argument"),
    pytest.param("api-resources -o bogus", 'error: unable to match a printer suitable for the output format '
                 '"bogus", allowed formats are: json,kyaml,name,wide,yaml', id="api-resources bad -o"),
    pytest.param("api-resources --sort-by=x", "error: --sort-by accepts only name or kind", id="bad --sort-by"),
    pytest.param("get pods -o bogus", 'error: unable to match a printer suitable for the output format "bogus", '
                 "allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,"
                 "jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml",
                 id="get bad -o"),
    pytest.param("explain", 'error: You must specify the type of resource to explain. Use "kubectl '
                 'api-resources" for a complete list of supported resources.', id="explain nothing"),
    pytest.param("explain pods a", "error: We accept only this format: explain RESOURCE", id="explain two"),
    pytest.param("version extra", "error: extra arguments: [extra]", id="version argument"),
    pytest.param("version -o bogus", "error: --output must be 'yaml' or 'json'", id="version bad -o"),
    pytest.param("frobnicate", 'error: unknown command "frobnicate" for "kubectl"', id="unknown command"),
    pytest.param("exe pod", 'error: unknown command "exe" for "kubectl" (did you mean "exec"?)',
                 id="unknown command near a command"),
    pytest.param("deploymnt", 'error: unknown command "deploymnt" for "kubectl" (did you mean "deployment"?)',
                 id="unknown command near a type"),
    pytest.param("rollout bogus", 'error: unknown command "bogus" for "kubectl rollout"',
                 id="unknown subcommand"),
    pytest.param("rollout --bogus status deploy/x", "error: unknown flag: --bogus",
                 id="unknown flag before a subcommand"),
]


@pytest.mark.parametrize(("line", "message"), ERRORS)
def test_errors_in_kubectls_words(line, message):
    with pytest.raises(GrammarError) as caught:
        parse(line)
    assert str(caught.value) == message


NOT_SUPPORTED = [
    pytest.param("cp a b", '"cp" is not supported inside kubetui', id="cp"),
    pytest.param("kubectl top pods", '"top" is not supported inside kubetui', id="top"),
    pytest.param("rollout pause deploy/x", '"rollout pause" is not supported inside kubetui', id="rollout pause"),
    pytest.param("config view", '"config view" is not supported inside kubetui', id="config view"),
    pytest.param("create deployment x --image=y", '"create deployment" is not supported inside kubetui',
                 id="create deployment"),
    pytest.param("create -f x.yaml", '"create" is supported only as "create namespace NAME" inside kubetui '
                 "(to create from files: apply -f FILE)", id="create -f"),
    pytest.param("create", '"create" is supported only as "create namespace NAME" inside kubetui '
                 "(to create from files: apply -f FILE)", id="create alone"),
    pytest.param("cluster-info dump", '"cluster-info dump" is not supported inside kubetui', id="cluster-info dump"),
    pytest.param("get pods --sort-by=.metadata.name", '"--sort-by" is not supported inside kubetui',
                 id="a kubectl flag kubetui ignores"),
    pytest.param("get pods -L app", '"-L" is not supported inside kubetui', id="an ignored shorthand"),
    pytest.param("get pods --kubeconfig=/tmp/x", '"--kubeconfig" is not supported inside kubetui',
                 id="an ignored global flag"),
    pytest.param("get pods -o jsonpath='{.items}'", '"-o jsonpath" is not supported inside kubetui',
                 id="an output kubetui does not draw"),
    pytest.param("apply -f x.yaml --record", '"--record" is not supported inside kubetui', id="a hidden flag"),
    pytest.param("get pods --help", '"--help" is not supported inside kubetui', id="help"),
    pytest.param("config set-context --current", '"config set-context" changes only the namespace inside kubetui: '
                 "add --namespace=NS", id="set-context without --namespace"),
    pytest.param("rollout", 'error: "rollout" needs a subcommand: status, restart, undo or history',
                 id="rollout alone"),
    pytest.param("", "nothing to run: type a command (get pods) or a resource type (deploy)", id="empty line"),
    pytest.param("kubectl", "nothing to run: type a command (get pods) or a resource type (deploy)",
                 id="kubectl alone"),
    pytest.param("pods web", 'error: "pods" switches the view and takes no names: use get pods web or '
                 "describe pods web", id="bare resource with a name"),
    pytest.param("all", 'error: "all" names several resource types; a view shows one (use get all to list them '
                 "all)", id="bare category"),
    pytest.param("get 'pods", "error: the single quote opened at column 5 is never closed (add a closing ')",
                 id="unclosed single quote"),
    pytest.param('exec web -- sh -c "ls', 'error: the double quote opened at column 19 is never closed '
                 '(add a closing ")', id="unclosed double quote"),
    pytest.param("exec web -- ls | grep x", 'error: unquoted "|" is shell syntax, and kubetui runs no local shell: '
                 'quote it to pass it on (e.g. -- /bin/sh -c "ls | grep lib")', id="unquoted pipe"),
    pytest.param("get pods > out.txt", 'error: unquoted ">" is shell syntax, and kubetui runs no local shell: '
                 'quote it to pass it on (e.g. -- /bin/sh -c "ls | grep lib")', id="unquoted redirect"),
]


@pytest.mark.parametrize(("line", "message"), NOT_SUPPORTED)
def test_what_kubetui_does_not_run_is_named_in_one_line(line, message):
    with pytest.raises(GrammarError) as caught:
        parse(line)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


CHANGES = [
    pytest.param("apply -f x.yaml", True, id="apply"),
    pytest.param("apply -f x.yaml --dry-run=server", False, id="apply server dry run"),
    pytest.param("apply -f x.yaml --dry-run=client", False, id="apply client dry run"),
    pytest.param("delete pod web", True, id="delete"),
    pytest.param("delete pod web --dry-run=server", False, id="delete dry run"),
    pytest.param("scale deploy/api --replicas=1", True, id="scale"),
    pytest.param("rollout restart deploy/api", True, id="rollout restart"),
    pytest.param("rollout undo deploy/api", True, id="rollout undo"),
    pytest.param("rollout status deploy/api", False, id="rollout status"),
    pytest.param("rollout history deploy/api", False, id="rollout history"),
    pytest.param("label pods web a=b", True, id="label"),
    pytest.param("annotate pods web a=b", True, id="annotate"),
    pytest.param("create namespace x", True, id="create namespace"),
    pytest.param("edit pod web", True, id="edit"),
    pytest.param("exec web -- ls", True, id="exec"),
    pytest.param("get pods", False, id="get"),
    pytest.param("describe pod web", False, id="describe"),
    pytest.param("logs web -f", False, id="logs"),
    pytest.param("port-forward web 8080:80", True, id="port-forward"),
    pytest.param("config use-context b", False, id="use-context"),
    pytest.param("config set-context --current --namespace=x", False, id="set-context"),
    pytest.param("api-resources", False, id="api-resources"),
    pytest.param("explain pods", False, id="explain"),
    pytest.param("version", False, id="version"),
    pytest.param("cluster-info", False, id="cluster-info"),
    pytest.param("deploy", False, id="bare resource"),
]


@pytest.mark.parametrize(("line", "changes"), CHANGES)
def test_readonly_refuses_exactly_the_changing_requests(line, changes):
    request = parse(line)
    assert request.changes_cluster is changes
    if changes:
        with pytest.raises(GrammarError) as caught:
            parse(line, readonly=True)
        assert str(caught.value) == readonly_refusal(request)
        assert "--readonly" in str(caught.value)
        assert ("changes the cluster" in str(caught.value)) is not isinstance(request, PortForwardRequest)
    else:
        assert parse(line, readonly=True) == request


def test_the_refusal_names_the_command():
    assert readonly_refusal(parse("rollout restart deploy/api")) == (
        '"rollout restart" changes the cluster, and kubetui runs with --readonly: nothing was sent')


def test_argv_from_another_splitter_parses_the_same():
    argv = ["kubectl", "exec", "-it", "sample-pod", "--", "/bin/bash", "-c", "ls --all --classify | grep lib"]
    assert parse_argv(argv, LOCAL) == STUDY_NOTES[3].values[1]


@pytest.mark.parametrize(("typed", "seconds"), [
    pytest.param("5m", 300.0, id="minutes"), pytest.param("1h30m", 5400.0, id="two units"),
    pytest.param("1.5h", 5400.0, id="fraction"), pytest.param(".5s", 0.5, id="leading dot"),
    pytest.param("5.s", 5.0, id="trailing dot"), pytest.param("+5m", 300.0, id="plus sign"),
    pytest.param("-1m", -60.0, id="minus sign"), pytest.param("0", 0.0, id="bare zero"),
    pytest.param("1500ms", 1.5, id="milliseconds"), pytest.param("2µs", 2e-6, id="micro sign"),
    pytest.param("3us", 3e-6, id="us"), pytest.param("7ns", 7e-9, id="nanoseconds"),
])
def test_durations_read_as_go_reads_them(typed, seconds):
    assert parse_duration(typed) == pytest.approx(seconds)


@pytest.mark.parametrize(("typed", "message"), [
    pytest.param("", 'time: invalid duration ""', id="empty"), pytest.param(".s", 'time: invalid duration ".s"',
                                                                             id="dot only"),
    pytest.param("1d", 'time: unknown unit "d" in duration "1d"', id="days"),
    pytest.param("1h30", 'time: missing unit in duration "1h30"', id="last unit missing"),
])
def test_bad_durations_fail_in_gos_words(typed, message):
    with pytest.raises(ValueError) as caught:
        parse_duration(typed)
    assert str(caught.value) == message


@pytest.mark.parametrize(("typed", "seconds"), [
    pytest.param("1500ms", 2, id="half rounds up"), pytest.param("1499ms", 1, id="below half rounds down"),
    pytest.param(".5s", 1, id="half a second is one"), pytest.param("0s", None, id="zero: no limit"),
])
def test_logs_since_is_whole_seconds_as_kubectl_sends_it(typed, seconds):
    assert parse(f"logs web --since={typed}").since_seconds == seconds


def test_logs_since_under_half_a_second_is_refused():
    with pytest.raises(GrammarError, match="less than half a second"):
        parse("logs web --since=2µs")


@pytest.mark.parametrize(("typed", "tail"), [
    pytest.param("0x10", 16, id="hex"), pytest.param("010", 8, id="leading zero is octal"),
    pytest.param("1_000", 1000, id="underscores"), pytest.param("0", 0, id="zero"),
])
def test_integers_read_as_go_reads_them(typed, tail):
    assert parse(f"logs web --tail={typed}").tail == tail


def pod_with(containers, annotation=None):
    annotations = {"kubectl.kubernetes.io/default-container": annotation} if annotation else {}
    return {"metadata": {"name": "p", "annotations": annotations},
            "spec": {"containers": [{"name": name} for name in containers]}}


@pytest.mark.parametrize(("pod", "container"), [
    pytest.param(pod_with(["nginx-container", "redis-container"]), "nginx-container", id="the first"),
    pytest.param(pod_with(["nginx-container", "redis-container"], "redis-container"), "redis-container",
                 id="the annotated one"),
    pytest.param(pod_with(["nginx-container"], "gone"), "nginx-container", id="an unknown annotation: the first"),
    pytest.param(pod_with([]), None, id="no containers"),
    pytest.param({**pod_with(["app"], "debugger"), "spec": {"containers": [{"name": "app"}],
                                                            "ephemeralContainers": [{"name": "debugger"}]}},
                 "debugger", id="an annotated ephemeral container"),
])
def test_exec_without_c_uses_the_container_kubectl_picks(pod, container):
    assert parse("exec -it p -- /bin/sh").container is None
    assert kubectl_default_container(pod) == container


def test_explain_of_an_unknown_type_says_it_as_kubectl_explain_does():
    with pytest.raises(GrammarError) as raised:
        parse("explain foo")
    assert str(raised.value) == 'the server doesn\'t have a resource type "foo"'
