#!/usr/bin/env bash
# `make compat`: run the whole suite on the oldest and the newest NumPy mechestim supports
# (quality.md "Compatibility"), each in its own venv under .compat/ (git-ignored):
#   - Python 3.10 + the oldest NumPy pyproject.toml admits (numpy>=2.0: 2.0.0), with the
#     compiled kernel off (MECHESTIM_NO_ACCEL=1): the pure-Python path, tested whole
#   - Python 3.13 + the newest NumPy on the index (upgraded on every run), kernel on
# Venvs are reused; one is rebuilt when pyproject.toml, setup.py or _accel.c is newer. Both pairs always
# run; the exit status is non-zero if either fails. Override the interpreters or the old
# NumPy with COMPAT_OLD_PYTHON, COMPAT_NEW_PYTHON, COMPAT_OLD_NUMPY.
set -uo pipefail
cd "$(dirname "$0")/.."

OLD_PYTHON=${COMPAT_OLD_PYTHON:-$HOME/.pyenv/versions/3.10.13/bin/python}
NEW_PYTHON=${COMPAT_NEW_PYTHON:-$HOME/.pyenv/versions/3.13.0/bin/python}
OLD_NUMPY=${COMPAT_OLD_NUMPY:-numpy==2.0.0}
PYTEST_ARGS=${COMPAT_PYTEST_ARGS:--n 2 -q -p no:cacheprovider}

prepare() {  # prepare VENV PYTHON NUMPY_SPEC UPGRADE
    local venv=$1 python=$2 spec=$3 upgrade=$4
    if [ ! -x "$python" ]; then
        echo "compat: no interpreter at $python (install it with pyenv, or set COMPAT_OLD_PYTHON / COMPAT_NEW_PYTHON)" >&2
        return 1
    fi
    if [ ! -f "$venv/.installed" ] || [ pyproject.toml -nt "$venv/.installed" ] \
        || [ setup.py -nt "$venv/.installed" ] || [ mechestim/_accel.c -nt "$venv/.installed" ]; then
        echo "compat: building $venv ($("$python" --version), $spec)"
        rm -rf "$venv"
        "$python" -m venv "$venv" || return 1
        "$venv/bin/python" -m pip install -q --upgrade pip 2> "$venv.pip.log" || { cat "$venv.pip.log" >&2; return 1; }
        "$venv/bin/python" -m pip install -q -e ".[test,rich]" "$spec" \
            --config-settings editable_mode=compat 2> "$venv.pip.log" || { cat "$venv.pip.log" >&2; return 1; }
        touch "$venv/.installed"
    elif [ "$upgrade" = yes ]; then
        "$venv/bin/python" -m pip install -q --upgrade "$spec" 2> "$venv.pip.log" || { cat "$venv.pip.log" >&2; return 1; }
    fi
}

status=0
summary=()
run_pair() {  # run_pair NAME PYTHON NUMPY_SPEC UPGRADE [ACCEL]
    local name=$1 venv=.compat/$1 started=$SECONDS accel=${5:-on}
    if ! prepare "$venv" "$2" "$3" "$4"; then
        summary+=("$name: could not build the venv")
        status=1
        return
    fi
    local versions
    versions=$("$venv/bin/python" -c 'import platform, numpy; print(f"Python {platform.python_version()}, NumPy {numpy.__version__}")')
    local no_accel=0
    if [ "$accel" = off ]; then
        # The whole suite on the pure-Python path (the compiled kernel is built, and
        # tests/test_accel.py still runs it both ways).
        no_accel=1
        versions="$versions, pure Python (MECHESTIM_NO_ACCEL=1)"
    fi
    echo
    echo "== compat $name: $versions"
    # shellcheck disable=SC2086
    if MECHESTIM_NO_ACCEL=$no_accel "$venv/bin/python" -m pytest $PYTEST_ARGS; then
        summary+=("$name ($versions): passed in $((SECONDS - started)) s")
    else
        summary+=("$name ($versions): FAILED after $((SECONDS - started)) s")
        status=1
    fi
}

run_pair oldest "$OLD_PYTHON" "$OLD_NUMPY" no off
run_pair newest "$NEW_PYTHON" numpy yes

echo
echo "== compat summary"
printf '  %s\n' "${summary[@]}"
exit $status
