#!/usr/bin/env bash
# The Debian 13 (trixie) environment with libtorch 2.6, beside the host's Debian 12 libtorch 1.13.
#
#   scripts/torch-env.sh ensure          make the chroot if it is missing, half-made or outdated
#   scripts/torch-env.sh run CMD ARGS... run CMD inside it, in the current directory (same path)
#   scripts/torch-env.sh remove          delete it
#   scripts/torch-env.sh path            print where it lives
#
# The chroot lives outside the work tree (PYSTEMATIC_TORCH_ENV_ROOT, default
# /var/cache/pystematic/trixie). `run` enters it under `unshare --mount --propagation private`:
# /proc, /sys, /dev and the repository (plus node_modules when it is a symlink elsewhere) are
# mounted at their own absolute paths in a private mount namespace, so no mount outlives the
# process, even a killed one. npm packages, dist/ and the tests come from the host that way; the
# native addon gets its own build directory (build/torch-<major>.<minor>/, see
# scripts/build-native.mjs), and the chroot's /usr/bin/python3 is its own torch 2.6.
# Needs root (debootstrap, chroot, mount namespaces).
set -euo pipefail

ROOT=${PYSTEMATIC_TORCH_ENV_ROOT:-/var/cache/pystematic/trixie}
SUITE=trixie
MIRROR=${PYSTEMATIC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# iproute2: the multi-node test's network namespaces. The rest: the toolchain, libtorch 2.6, its
# fast BLAS, c10d's Gloo headers, Python torch for fixtures, interop and benchmarks.
PACKAGES=(nodejs npm g++ cmake make git python3 libtorch-dev libopenblas0-pthread libgloo-dev
  python3-torch python3-yaml iproute2)
# Written last by `ensure`: a chroot without it (a killed debootstrap or apt) is made again.
BASE_STAMP=.pystematic-base
PACKAGES_STAMP=.pystematic-packages
REPO=$(cd "$(dirname "$0")/.." && pwd -P)

say() { printf '[torch-env] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

need_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, chroot and mount namespaces need it)"
}

wanted_packages_stamp() { printf '%s\n' "$SUITE" "${PACKAGES[@]}"; }

is_ready() {
  [[ -f $ROOT/$BASE_STAMP && -f $ROOT/$PACKAGES_STAMP ]] &&
    [[ $(cat "$ROOT/$PACKAGES_STAMP") == "$(wanted_packages_stamp)" ]]
}

remove_root() {
  [[ -e $ROOT ]] || return 0
  # Mounts made by `run` live only in its private namespace; --one-file-system still refuses to
  # descend into anything mounted here by hand, so the host's files are never touched.
  rm -rf --one-file-system -- "$ROOT"
  [[ ! -e $ROOT ]] || die "could not remove $ROOT completely (something is mounted inside it?)"
}

host_install_debootstrap() {
  command -v debootstrap >/dev/null && return 0
  say "installing debootstrap on the host (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends debootstrap >/dev/null
}

# Runs a command in the chroot with its pseudo file systems mounted, in a private mount namespace.
# $1: "with-repo" to also mount the repository, else "bare".
enter() {
  local mode=$1; shift
  local binds=()
  if [[ $mode == with-repo ]]; then
    binds+=("$REPO")
    # A worktree's node_modules or build may be a symlink to another checkout's: mount its target too.
    local linked target
    for linked in node_modules build; do
      [[ -L $REPO/$linked ]] || continue
      target=$(readlink -f "$REPO/$linked")
      [[ $target == "$REPO"/* ]] || binds+=("$target")
    done
  fi
  local cwd
  cwd=$(pwd -P)
  if [[ $mode != with-repo ]]; then cwd=/
  elif [[ $cwd != "$REPO" && $cwd != "$REPO"/* ]]; then cwd=$REPO
  fi
  # Only a chosen environment crosses over (PYSTEMATIC_* settings, the terminal): the host's
  # PYSTEMATIC_NATIVE, PYSTEMATIC_BUILD_DIR, LIBTORCH, PATH or PYTHONPATH name the host's
  # libtorch and would load or build the wrong one.
  local envs=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
    PYSTEMATIC_TORCH_ENV="$SUITE")
  local name
  for name in TERM CI NODE_OPTIONS; do
    [[ -n ${!name:-} ]] && envs+=("$name=${!name}")
  done
  while IFS= read -r name; do
    [[ $name == PYSTEMATIC_NATIVE || $name == PYSTEMATIC_BUILD_DIR || $name == PYSTEMATIC_TORCH_ENV* ]] && continue
    envs+=("$name=${!name}")
  done < <(compgen -e | grep '^PYSTEMATIC_' || true)
  unshare --mount --propagation private -- bash -euo pipefail -c '
    root=$1 cwd=$2; shift 2
    binds=()
    while [[ $1 != -- ]]; do binds+=("$1"); shift; done; shift
    envs=()
    while [[ $1 != -- ]]; do envs+=("$1"); shift; done; shift
    # The chroot'"'"'s / must be a mount point: `ip netns exec` and `ip -n` remount it (make-rslave).
    mount --bind "$root" "$root"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    for dir in ${binds[@]+"${binds[@]}"}; do
      mkdir -p "$root$dir"
      mount --rbind "$dir" "$root$dir"
    done
    cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    exec chroot "$root" /usr/bin/env -i "${envs[@]}" /bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
  ' enter "$ROOT" "$cwd" ${binds[@]+"${binds[@]}"} -- "${envs[@]}" -- "$@"
}

ensure() {
  need_root
  is_ready && return 0
  mkdir -p "$(dirname "$ROOT")"
  # One maker at a time; a second caller waits, then finds it ready.
  exec 9>"$ROOT.lock"
  flock 9
  if is_ready; then exec 9>&-; return 0; fi
  local started=$SECONDS
  if [[ ! -f $ROOT/$BASE_STAMP ]]; then
    host_install_debootstrap
    [[ -e $ROOT ]] && say "removing the half-made $ROOT"
    remove_root
    say "debootstrap --variant=minbase $SUITE $ROOT"
    debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 ||
      die "debootstrap failed, see $ROOT.debootstrap.log"
    touch "$ROOT/$BASE_STAMP"
  fi
  rm -f "$ROOT/$PACKAGES_STAMP"
  say "installing ${PACKAGES[*]} (apt-get in the chroot)"
  # dpkg --configure -a first: an install killed half-way (a killed CI run) must not block the next one.
  enter bare env DEBIAN_FRONTEND=noninteractive bash -c \
    'dpkg --configure -a && apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean' \
    install "${PACKAGES[@]}" >"$ROOT.apt.log" 2>&1 || die "apt-get failed in the chroot, see $ROOT.apt.log"
  wanted_packages_stamp >"$ROOT/$PACKAGES_STAMP.tmp"
  mv "$ROOT/$PACKAGES_STAMP.tmp" "$ROOT/$PACKAGES_STAMP"
  say "ready in $((SECONDS - started)) s: $ROOT"
  exec 9>&-
}

main() {
  local command=${1:-}
  shift || true
  case $command in
    ensure) ensure ;;
    run)
      (($#)) || die "usage: $0 run CMD [ARGS...]"
      ensure
      enter with-repo "$@"
      ;;
    remove)
      need_root
      exec 9>"$ROOT.lock"
      flock 9
      remove_root
      rm -f "$ROOT.debootstrap.log" "$ROOT.apt.log"
      ;;
    path) echo "$ROOT" ;;
    *) die "usage: $0 ensure | run CMD [ARGS...] | remove | path" ;;
  esac
}

main "$@"
