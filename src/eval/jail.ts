// The fallback filesystem jail, for machines without bubblewrap: what bwrap builds,
// built by a shell script inside `unshare` (new mount, pid and network namespaces, and a
// user namespace when we are not root).
//
// The script mounts a small tmpfs as the new root and puts into it only:
//   /usr /etc /bin /sbin /lib* and the interpreter's prefix   read-only binds
//   /sandbox                                                  the run's throwaway directory (rw)
//   /tmp /var/tmp /dev/shm                                    fresh tmpfs of `tmpBytes` each
//   /dev/{null,zero,full,random,urandom,tty}                  binds of the host devices
//   /proc                                                     of the new pid namespace
//   extra writable dirs (Go's build cache)                    rw binds at the same path
// then chroots into it and execs the command in /sandbox. The project, ../shared, /root,
// /home and the host's /tmp are simply absent; mounts are private to the namespace, so the
// host never sees them; the new network namespace has no interfaces (and its own abstract
// unix sockets), and the host's socket files are not in the tree.
//
// argv: sh -c SCRIPT jail WORK TMPBYTES RO... --rw RW... -- COMMAND...
export const JAIL_SCRIPT = `set -eu
work=$1; size=$2; shift 2
R="$work/.root"
mkdir -p "$R"
mount -t tmpfs -o mode=755,size=16m batcoder-root "$R"
ro() {
  if [ -L "$1" ]; then mkdir -p "$R$(dirname "$1")"; ln -s "$(readlink "$1")" "$R$1"; return 0; fi
  [ -d "$1" ] || return 0
  mkdir -p "$R$1"
  mount --bind "$1" "$R$1"
  mount -o remount,bind,ro "$R$1"
}
for d in /usr /etc /bin /sbin /lib /lib32 /lib64 /libx32; do ro "$d"; done
while [ "$1" != "--rw" ]; do ro "$1"; shift; done; shift
while [ "$1" != "--" ]; do mkdir -p "$R$1"; mount --bind "$1" "$R$1"; shift; done; shift
mkdir -p "$R/sandbox" "$R/tmp" "$R/var/tmp" "$R/dev/shm" "$R/proc"
mount --bind "$work" "$R/sandbox"
for t in /tmp /var/tmp /dev/shm; do mount -t tmpfs -o "size=$size,mode=1777" tmpfs "$R$t"; done
for n in null zero full random urandom tty; do
  if [ -e "/dev/$n" ]; then touch "$R/dev/$n"; mount --bind "/dev/$n" "$R/dev/$n"; fi
done
mount -t proc proc "$R/proc"
chroot=$(PATH=/usr/sbin:/sbin:/usr/bin:/bin command -v chroot)
exec "$chroot" "$R" /bin/sh -c 'cd /sandbox && exec "$@"' sh "$@"
`;

/** `sh -c JAIL_SCRIPT ...` for one run; `command` follows. */
export function jailArgv(work: string, tmpBytes: number, readOnly: string[], writable: string[]): string[] {
  return ['/bin/sh', '-c', JAIL_SCRIPT, 'jail', work, String(tmpBytes), ...readOnly, '--rw', ...writable, '--'];
}
