"""The one shell interpreter against bash: arithmetic, `test`/`[`, quoting, parameter and
command substitution, "$@", IFS splitting, globbing, loops, here-documents.

The table's answers are bash's (5.2). The interpreter runs in process on a sandbox System
(the same code `kubectl exec` and a container's `sh -c` run); a second test runs the table
through the real /bin/bash, where there is one, so the table cannot drift from bash."""

from __future__ import annotations

import os
import subprocess

import pytest

from kubetui.localcluster.sandbox import programs as sandbox_programs
from kubetui.localcluster.sandbox.streams import IO, BufferOut, StrIn
from kubetui.localcluster.sandbox.system import System
from kubetui.localcluster.shell import programs as shell_programs

REGISTERED = (sandbox_programs, shell_programs)
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# (name, script, stdout, exit status); scripts touch only relative paths, so real bash can
# run them in a scratch directory
TABLE = [
    ('arith-division', 'echo $((-7/2)) $((-7%2)) $((7/-2)) $((7%-3)) $((2**10))',
     '-3 -1 -3 1 1024\n', 0),
    ('arith-bits', 'echo $((1<<4)) $((256>>2)) $((7&3)) $((7|8)) $((7^2)) $((~5))',
     '16 64 3 15 5 -6\n', 0),
    ('arith-compare', 'echo $((10 > 3)) $((3 >= 4)) $((1 == 1)) $((2 != 2)) $((!0)) $((!7))',
     '1 0 1 0 1 0\n', 0),
    ('arith-logic', 'echo $((1 && 0)) $((1 || 0)) $((5 ? 10 : 20)) $((0 ? 10 : 20))',
     '0 1 10 20\n', 0),
    ('arith-variables', 'i=3; n=; echo $((i*i)) $(( (i+1) * 2 )) $((n + 1)) $((i)) $(($i+1))',
     '9 8 1 3 4\n', 0),
    ('arith-bases', 'echo $((0x10)) $((010)) $((0)) $((-0))',
     '16 8 0 0\n', 0),
    ('arith-assign', 'i=5; : $((i+=3)); echo $i $((i*=2)) $i',
     '8 16 16\n', 0),
    ('arith-increment', 'i=5; echo $((i++)) $i $((++i)) $((i--)) $i',
     '5 6 7 7 6\n', 0),
    ('test-numbers', '[ 1 -lt 2 ] && echo lt; [ 01 -eq 1 ] && echo eq; test 10 -gt 9; echo $?; [ 3 -ne 3 ]; echo $?',
     'lt\neq\n0\n1\n', 0),
    ('test-strings', "[ abc = abc ] && echo eq; [ a != b ] && echo ne; [ -n '' ] || echo empty; [ -z '' ] && echo z; [ x ]; echo $?; [ '' ]; echo $?",
     'eq\nne\nempty\nz\n0\n1\n', 0),
    ('test-logic', '[ 1 -eq 1 -a 2 -eq 2 ] && echo and; [ 1 -eq 2 -o 2 -eq 2 ] && echo or; [ ! 1 -eq 2 ] && echo not',
     'and\nor\nnot\n', 0),
    ('test-files', 'mkdir d && touch d/f && [ -d d ] && [ -f d/f ] && [ ! -f d/g ] && [ -e d ] && echo files',
     'files\n', 0),
    ('test-unset', 'if [ "$missing" = "" ]; then echo unset; fi; [ -z "$missing" ] && [ -n "$HOME" ] && echo both',
     'unset\nboth\n', 0),
    ('quoting-fields', 'x=\'a  b\'; echo $x; echo "$x"; echo \'$x\' "\'$x\'"',
     "a b\na  b\n$x 'a  b'\n", 0),
    ('quoting-escapes', 'echo \\$HOME "\\$x" a\\ b "a\\"b" \'c\'\\\'\'d\' "back\\\\slash"',
     '$HOME $x a b a"b c\'d back\\slash\n', 0),
    ('quoting-nested', 'echo "$(echo "nested \\"q\\"")" "`echo tick`"',
     'nested "q" tick\n', 0),
    ('param-trim', 'x=file.tar.gz; echo ${x%.*} ${x%%.*} ${x#*.} ${x##*.} ${#x}',
     'file.tar file tar.gz gz 11\n', 0),
    ('param-defaults', 'unset y; echo ${y:-default} ${y-unset} ${y:=set} $y; z=; echo "[${z:-empty}]" "[${z-nonnull}]" "[${z:+alt}]" "[${y:+alt}]"',
     'default unset set set\n[empty] [] [] [alt]\n', 0),
    ('param-braces', 'a=1; b=$a$a; echo $b ${a}0 ${#b} "${a}x"',
     '11 10 2 1x\n', 0),
    ('positional', 'set -- a \'b c\' d; echo $#; for a in "$@"; do echo "[$a]"; done; for a in $@; do echo "<$a>"; done; echo "$*" "${2}"',
     '3\n[a]\n[b c]\n[d]\n<a>\n<b>\n<c>\n<d>\na b c d b c\n', 0),
    ('positional-shift', 'set -- 1 2 3; shift; echo $# $1; shift 2; echo $# "${1:-none}"',
     '2 2\n0 none\n', 0),
    ('ifs-split', 'IFS=:; x=a:b::c; for f in $x; do echo "[$f]"; done',
     '[a]\n[b]\n[]\n[c]\n', 0),
    ('ifs-whitespace', 'x=\'  lead  trail  \'; for f in $x; do echo "[$f]"; done; set -- $x; echo $#',
     '[lead]\n[trail]\n2\n', 0),
    ('substitution', 'echo $(echo one; echo two); echo "$(printf \'a\\n\\n\')"; x=$(echo \' sp \'); echo "[$x]"',
     'one two\na\n[ sp ]\n', 0),
    ('substitution-status', 'x=$(false); echo $?; y=$(exit 3); echo $?',
     '1\n3\n', 0),
    ('glob', 'mkdir g && cd g && touch b.txt a.txt c.log && echo *.txt && echo *.none && echo "*.txt" && echo [ab].* && echo ?.log',
     'a.txt b.txt\n*.none\n*.txt\na.txt b.txt\nc.log\n', 0),
    ('printf', "printf '%s-%d\\n' x 5 y 6; printf '%5s|%-3s|\\n' ab c; printf '%03d %x %o %%\\n' 7 255 8",
     'x-5\ny-6\n   ab|c  |\n007 ff 10 %\n', 0),
    ('loops', "x=3; while [ $x -gt 0 ]; do printf '%s ' $x; x=$((x-1)); done; echo; until [ $x -ge 2 ]; do x=$((x+1)); done; echo $x",
     '3 2 1 \n2\n', 0),
    ('loop-control', 'for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done; for i in 1 2; do for j in a b; do [ $j = b ] && break 2; echo $i$j; done; done',
     '1\n3\n1a\n', 0),
    ('status', 'echo $?; false; echo $?; ! false; echo $?; true && false || echo or',
     '0\n1\n0\nor\n', 0),
    ('subshells', 'x=1; (x=2; echo $x); echo $x; { x=3; }; echo $x; x=4 true; echo $x',
     '2\n1\n3\n3\n', 0),
    ('heredoc', "x=v; cat <<EOF\n$((1+2)) $x\nEOF\ncat <<'EOF'\n$x\nEOF",
     '3 v\n$x\n', 0),
    ('pipes', "echo a b c | tr ' ' '\\n' | sort -r | head -n 2; echo x | { read v; echo got $v; }",
     'c\nb\ngot x\n', 0),
    ('read', 'printf \'one two three\\n\' > f; read a b < f; echo "$a|$b"; IFS=, read -r p q <<EOF\n1,2\nEOF\necho $p $q',
     'one|two three\n1 2\n', 0),
    ('brace-expansion', 'echo {a,b}{1,2} {1..4} x{y,z}',
     'a1 a2 b1 b2 1 2 3 4 xy xz\n', 0),
    ('eval-and-exit', "eval 'echo $((2+2))'; (exit 7); echo $?",
     '4\n7\n', 0),
    ('arith-error', 'echo $((1/0)); echo after',
     '', 1),
    ('param-error', 'unset v; echo ${v:?missing}; echo after',
     '', 127),
    ('dollar-star-ifs', 'set -- a b c; IFS=,; echo "$*"; x="$@"; echo "$x"',
     'a,b,c\na b c\n', 0),
    ('length-and-case', "s='hello world'; echo ${#s} ${s%% *} ${s#* }",
     '11 hello world\n', 0),
    ('for-default-args', 'set -- x y; for a; do echo $a; done',
     'x\ny\n', 0),
    ('nested-sh', "sh -c 'echo $((3*4)) $0 $1' name arg; echo $?",
     '12 name arg\n0\n', 0),
    ('exit-status-of-pipeline', 'false | true; echo $?; true | false; echo $?',
     '0\n1\n', 0),
    ('and-or-chains', 'false && echo a || echo b && echo c',
     'b\nc\n', 0),
    ('test-string-compare', '[ 10 -lt 9 ] || echo numeric; [ abc \\< abd ] && echo lt; [ b \\> a ] && echo gt',
     'numeric\nlt\ngt\n', 0),

]


def simulated(script: str) -> tuple[str, int, str]:
    out, err = BufferOut(), BufferOut()
    context = {"image": "debian:12", "working_dir": "/tmp",
               "env": [["PATH", PATH], ["HOME", "/root"], ["LC_ALL", "C"]]}
    system = System(context, io=IO(StrIn(""), out, err))
    status = system.exec_argv(["/bin/bash", "-c", script])
    return out.getvalue(), status, err.getvalue()


@pytest.mark.parametrize("script, stdout, status", [pytest.param(*case[1:], id=case[0]) for case in TABLE])
def test_the_interpreter_answers_as_bash_does(script, stdout, status):
    out, code, err = simulated(script)
    assert (out, code) == (stdout, status), err


@pytest.mark.skipif(not os.path.exists("/bin/bash"), reason="no /bin/bash to compare with")
@pytest.mark.parametrize("script, stdout, status", [pytest.param(*case[1:], id=case[0]) for case in TABLE])
def test_the_table_is_what_real_bash_answers(script, stdout, status, tmp_path):
    env = {"PATH": os.pathsep.join(p for p in ("/usr/bin", "/bin") if os.path.isdir(p)),
           "HOME": "/root", "LC_ALL": "C"}
    result = subprocess.run(["/bin/bash", "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, env=env, timeout=30)
    assert (result.stdout, result.returncode) == (stdout, status), result.stderr


ERRORS = [  # (script, stderr, status) as bash 5.2 answers
    ("echo $((1/0)); echo after",
     '/bin/bash: line 1: 1/0: division by 0 (error token is "0")\n', 1),
    ("unset v; echo ${v:?missing}; echo after", "/bin/bash: line 1: v: missing\n", 127),
    ("echo ${x!}", "/bin/bash: line 1: ${x!}: bad substitution\n", 1),
    ("echo 'open", "/bin/bash: -c: line 1: unexpected EOF while looking for matching `''\n", 2),
    ("echo )", "/bin/bash: -c: line 1: syntax error near unexpected token `)'\n"
     "/bin/bash: -c: line 1: `echo )'\n", 2),
    ("if true; then", "/bin/bash: -c: line 2: syntax error: unexpected end of file\n", 2),
]


@pytest.mark.parametrize("script, stderr, status", ERRORS)
def test_errors_are_worded_as_bash_words_them(script, stderr, status):
    out, code, err = simulated(script)
    assert (out, err, code) == ("", stderr, status)


def real_bash_version() -> str:
    if not os.path.exists("/bin/bash"):
        return ""
    return subprocess.run(["/bin/bash", "-c", "echo $BASH_VERSION"], capture_output=True,
                          text=True, timeout=30).stdout.strip()


@pytest.mark.skipif(not real_bash_version().startswith("5.2"),
                    reason="error wording is bash 5.2's; no such /bin/bash to compare with")
@pytest.mark.parametrize("script, stderr, status", ERRORS)
def test_the_error_table_is_what_real_bash_answers(script, stderr, status):
    result = subprocess.run(["/bin/bash", "-c", script], capture_output=True, text=True, timeout=30)
    assert (result.stdout, result.stderr, result.returncode) == ("", stderr, status)
