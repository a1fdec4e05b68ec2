#!/usr/bin/env bash
# Makes sure the desk's domain check (docs/examples/domain_check.py) can run: Debian's Python with Debian's pandas
# (python3-pandas, 1.5 on bookworm) and psql, which it reads the database with. Installs what is absent. The
# interpreter is /usr/bin/python3, the one python3-pandas is built for (a pyenv or venv python3 earlier on PATH does
# not see it); PANDAS_PYTHON names another. .ci/run and the test set-up (test/helpers/globalSetup.ts) call it.
set -euo pipefail

python="${PANDAS_PYTHON:-/usr/bin/python3}"
packages=()
if ! "$python" -c 'import pandas' >/dev/null 2>&1; then
  if [ -n "${PANDAS_PYTHON:-}" ]; then
    echo "pandas: PANDAS_PYTHON=$PANDAS_PYTHON cannot import pandas" >&2
    exit 1
  fi
  packages+=(python3 python3-pandas)
fi
command -v psql >/dev/null || packages+=(postgresql-client)
if [ ${#packages[@]} -gt 0 ]; then
  echo "pandas: installing Debian's ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
"$python" -c 'import pandas, sys; print(f"pandas {pandas.__version__} (Python {sys.version.split()[0]})")'
