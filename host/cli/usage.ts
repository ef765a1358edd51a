/** The `skiff` help text, and the error type for a command line that makes no sense. */

export const usage = `Usage:
  skiff build
      Build build/skiff.elf (make build): shim, QuickJS, the kernel and every linked app.
  skiff build <app>
      Build the app's image, build/apps/<app>.img: type-check, bundle, compile to QuickJS
      bytecode, pack with its assets. One kernel boots any app image.
  skiff run [app] [options]
      Boot the app (default: hello) and exit with its status. By default the kernel boots
      with the app's image (rebuilt when its sources, manifest or assets changed) as
      qemu's -initrd / cloud-hypervisor's --initramfs; --hosted runs it from the image too.
      --linked                      boot the app linked into the kernel ELF instead, no image
      --vmm qemu|cloud-hypervisor   the VMM (default: qemu)
      --machine q35|microvm         qemu's machine (default: q35)
      --accel auto|kvm|tcg          qemu's accelerator (default: auto, KVM when /dev/kvm is usable)
      --mem SIZE                    guest memory, e.g. 64M (default: 64M)
      --hosted                      run the kernel in quickjs-emscripten on this host, no VM
      --cmdline "EXTRA"             words added to the kernel command line (env.KEY=VALUE …)
      --timeout S                   kill the VM after S seconds (default: none)
      --no-build                    boot what is in build/ without running make first or
                                    rebuilding the image
    Devices (modern virtio-pci; any number, attached in order; microvm gets pcie=on):
      --net dgram:LPORT:RPORT       virtio-net; frames in UDP datagrams, 127.0.0.1:LPORT ↔ 127.0.0.1:RPORT
      --net tap:IFNAME              virtio-net on an existing tap device (no ifup scripts)
      --net user:HPORT:GPORT        virtio-net on qemu's user-mode network (DHCP, no root);
                                    TCP 127.0.0.1:HPORT on the host reaches the guest's GPORT
      --netns NS                    run the VMM in network namespace NS (ip netns exec; root), e.g. for its tap
      --disk FILE[,ro]              virtio-blk over a raw file; ",ro" attaches it read-only
      --rng                         virtio-rng
      --channel unix:PATH           virtio-console port; the VMM listens on the unix socket PATH
      --channel serial:PATH         the serial port on the unix socket PATH instead (the console
                                    moves to virtio-console; cloud-hypervisor's --serial socket=)
    With --hosted: one --net and one --disk (a file); no --rng, --channel. --net tap:IFNAME
      starts build/host/tapbridge (tap ↔ UDP datagrams; needs root, or a tap made with
      \`ip tuntap add … user YOU\`); --netns NS names the namespace the tap is in (root;
      only the bridge enters it, the kernel stays in this process).
  skiff dev <app> [options]
      Boot the app (a name under apps/, or a path to an app's folder) from a development
      image under qemu and swap its code in the running VM on every save (hot reload):
      one line per reload with the rebuild, transfer, load and swap times, or why it was
      refused (the old code keeps serving). A change to the kernel's HTTP, TCP, loader or
      app-API modules reloads them too; any other change under kernel-ts/ rebuilds the kernel
      and reboots. Takes run's options (--net user:HPORT:GPORT to reach an HTTP app); qemu,
      cloud-hypervisor, or --hosted (the kernel in a worker thread of this process, the
      channel in shared memory).
      --devchannel virtio-console|serial   the channel's transport: a virtio-console port
                                    (qemu's default) or the serial port, the console then on
                                    virtio-console (cloud-hypervisor: always serial)
  skiff help

Exit status: the app's (0–99), 100 kernel panic, 101 CPU exception, 102 shim failure;
2 for a usage error; 125 when the VM itself failed (qemu error, timeout).`;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Exit status for a usage error, and for a VM that gave no guest result. */
export const UsageExit = 2;
export const LaunchFailedExit = 125;
