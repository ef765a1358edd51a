/**
 * /init of the Linux baseline guest (run by busybox sh). It does what Skiff's hello does —
 * print one line, then power off with status 0 — and reports that status the way the Skiff
 * shim does, so both guests' qemu exit statuses mean the same: one byte, code + 1 = 1, written
 * to isa-debug-exit at port 0xf4 through /dev/port (qemu then exits 2*1+1 = 3, which the
 * launcher maps to 0). `poweroff -f` follows for VMMs without that device.
 */
export const linuxHelloLine = "Hello from Linux!";

export const initScript = `#!/bin/sh
echo "${linuxHelloLine}"
printf '\\001' | /bin/busybox dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
/bin/busybox poweroff -f
`;
