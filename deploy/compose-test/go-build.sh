# Sourced by provision.sh and standins.sh: builds main packages of a Go module at a pinned version, once, into the
# cache. `go install pkg@version` refuses modules whose go.mod has `replace` or `exclude` directives (Docker
# Compose, the Temporal CLI), so the module's source is fetched through the module proxy (`go mod download`)
# and built in a copy of it, as its own main module: its go.mod applies in full. Lean flags: -trimpath and
# -ldflags '-s -w' (no symbol table or DWARF: smaller binaries, faster links).

GO=$(command -v go || echo /usr/local/go/bin/go)

# go_module_dir <module@version>: the module's source in Go's module cache (downloaded when missing)
go_module_dir() {
  local json dir
  json=$(GOTOOLCHAIN=auto GOFLAGS=-mod=mod "$GO" mod download -json "$1") || { echo "$json" >&2; return 1; }
  dir=$(printf '%s\n' "$json" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "go mod download $1: $(printf '%s' "$json" | grep '"Error"')" >&2; return 1; }
  echo "$dir"
}

# go_build_module <module@version> <target dir> [-X ldflags] <./package=binary>... [require=<module@version>]...
#   Builds each package into <target dir>/<binary> unless all binaries are there already. A `require=` argument
#   moves one dependency to another version first (go mod edit), for versions the module proxy withholds.
go_build_module() {
  local module=$1 target=$2
  shift 2
  local packages=() requires=() ldflags='-s -w' missing=0 arg
  for arg in "$@"; do
    case $arg in
      require=*) requires+=("-require=${arg#require=}") ;;
      -X*) ldflags="$ldflags $arg" ;;
      *) packages+=("$arg"); [ -x "$target/${arg#*=}" ] || missing=1 ;;
    esac
  done
  [ "$missing" = 1 ] || return 0
  [ -x "$GO" ] || { echo "go-build: Go is needed to build $module (install Go >= 1.21)" >&2; return 1; }
  # one build at a time per target: a second caller waits, then finds the binaries
  mkdir -p "$(dirname "$target")"
  local lock
  exec {lock}>"$target.lock"
  flock "$lock"
  missing=0
  for arg in "${packages[@]}"; do [ -x "$target/${arg#*=}" ] || missing=1; done
  if [ "$missing" = 0 ]; then exec {lock}>&-; return 0; fi
  local source staging started=$SECONDS
  source=$(go_module_dir "$module") || { exec {lock}>&-; return 1; }
  staging=$(mktemp -d "$target.build.XXXXXX")
  cp -a "$source/." "$staging/src" 2>/dev/null || cp -r "$source" "$staging/src"
  chmod -R u+w "$staging/src"
  echo "go-build: building $module (${packages[*]}) (first run only)" >&2
  (
    cd "$staging/src" || exit 1
    export GOTOOLCHAIN=auto CGO_ENABLED=0 GOFLAGS='-mod=mod -buildvcs=false'
    if [ ${#requires[@]} -gt 0 ]; then "$GO" mod edit "${requires[@]}" || exit 1; fi
    for arg in "${packages[@]}"; do
      "$GO" build -trimpath -ldflags="$ldflags" -o "$staging/bin/${arg#*=}" "${arg%%=*}" >&2 || exit 1
    done
  ) || { rm -rf "$staging"; exec {lock}>&-; echo "go-build: building $module failed" >&2; return 1; }
  mkdir -p "$target"
  for arg in "${packages[@]}"; do mv -f "$staging/bin/${arg#*=}" "$target/${arg#*=}"; done
  rm -rf "$staging"
  exec {lock}>&-
  echo "go-build: $module built in $((SECONDS - started)) s" >&2
}
