#!/usr/bin/env bash
# Makes sure the Python client's tests (npm run test:python, clients/python/) can run: Debian's Python with Debian's
# pandas, pytest and venv, and the setuptools and wheel the client is built with (python3-pandas, python3-pytest,
# python3-venv, python3-setuptools, python3-wheel). Installs what is absent. The interpreter is
# /usr/bin/python3, the one python3-pandas is built for (scripts/ensure-pandas.sh); PANDAS_PYTHON names another.
# .ci/run calls it before npm run test:python.
set -euo pipefail

python="${PANDAS_PYTHON:-/usr/bin/python3}"
packages=()
for module in pandas pytest venv setuptools wheel; do
  if ! "$python" -c "import $module" >/dev/null 2>&1; then
    if [ -n "${PANDAS_PYTHON:-}" ]; then
      echo "pytest: PANDAS_PYTHON=$PANDAS_PYTHON cannot import $module" >&2
      exit 1
    fi
    packages+=("python3-$module")
  fi
done
if [ ${#packages[@]} -gt 0 ]; then
  echo "pytest: installing Debian's ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
"$python" -c 'import pandas, pytest, sys; print(f"pytest {pytest.__version__}, pandas {pandas.__version__} (Python {sys.version.split()[0]})")'
