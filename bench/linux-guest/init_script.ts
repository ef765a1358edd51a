/**
 * /init of the Linux baseline guest (run by busybox sh). By default it does what Skiff's
 * hello does — print one line, then power off with status 0 — and reports that status the way
 * the Skiff shim does, so both guests' qemu exit statuses mean the same: one byte, code + 1,
 * written to isa-debug-exit at port 0xf4 through /dev/port (qemu then exits 2*code+3, which
 * the launcher maps back to code). `poweroff -f` follows for VMMs without that device.
 *
 * With a workload (initScriptFor), /init first mounts proc, sysfs and devtmpfs (so /dev/vda
 * and friends exist), links every busybox applet into /bin, loads the given kernel modules in order, prints the hello line, then
 * runs the command timed inside the guest from /proc/uptime (10 ms resolution) and prints
 *   linux-run: status=S centiseconds=C
 * after the command's own output; the guest's exit code is the command's status (0–99).
 * The plain hello script stays byte for byte what the boot benchmark has always measured.
 */
export const linuxHelloLine = "Hello from Linux!";

export const initScript = `#!/bin/sh
echo "${linuxHelloLine}"
printf '\\001' | /bin/busybox dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
/bin/busybox poweroff -f
`;

export interface LinuxWorkload {
  /** Module file names under /lib/modules in the initramfs, loaded in this order (insmod). */
  readonly modules: readonly string[];
  /** A busybox sh command line. */
  readonly run: string;
  /**
   * Extra programs copied to /bin/NAME (mode 755), e.g. a static benchmark server; the
   * initramfs cache key covers their bytes.
   */
  readonly programs?: readonly { readonly name: string; readonly data: Uint8Array }[];
  /**
   * Extra files at any path under the root ("lib/x86_64-linux-gnu/libc.so.6", "srv/app.js"),
   * their parent directories made as needed — a dynamically linked program's libraries and
   * loader (dynamic_program.ts); the cache key covers their paths and bytes.
   */
  readonly files?: readonly { readonly path: string; readonly data: Uint8Array; readonly mode?: number }[];
}

/** The line the workload script prints after the command: status and in-guest duration. */
export const linuxRunPattern = /^linux-run: status=(\d+) centiseconds=(\d+)$/;

/** /init for a workload; the command's text is single-quoted into the script. */
export function initScriptFor(workload: LinuxWorkload): string {
  const quoted = `'${workload.run.replaceAll("'", `'\\''`)}'`;
  return `#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox --install -s /bin
for module in ${workload.modules.join(" ")}; do /bin/busybox insmod /lib/modules/$module || echo "linux-run: insmod $module failed"; done
echo "${linuxHelloLine}"
read start rest < /proc/uptime
/bin/sh -c ${quoted}
status=$?
read end rest < /proc/uptime
echo "linux-run: status=$status centiseconds=$(( (\${end%.*} - \${start%.*}) * 100 + 1\${end#*.} - 1\${start#*.} ))"
[ $status -gt 99 ] && status=99
/bin/busybox printf "\\\\$(/bin/busybox printf '%03o' $((status + 1)))" | /bin/busybox dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
/bin/busybox poweroff -f
`;
}
