/*
 * entry.S: from the hypervisor's PVH entry to C.
 *
 * The hypervisor (cloud-hypervisor, or qemu with -kernel) finds the 32-bit entry
 * point through the Xen ELF note below and jumps there in protected mode, paging
 * off, %ebx = physical address of struct hvm_start_info, segments unusable.
 * We: stamp the TSC (the boot timeline's zero), load a GDT, clear BSS, build
 * bootstrap page tables identity-mapping the first 4 GiB with 2 MiB pages, turn on
 * PAE + long mode + paging, enable SSE (gcc emits SSE even for struct copies:
 * without CR4.OSFXSR the first one faults before any IDT exists), and call
 * shim_main(start_info) on the kernel stack. C replaces these page tables with
 * the real ones (shim/arch/paging.c) as soon as it has read the memory map.
 */

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_NE (1 << 5)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)
#define PTE_PRESENT_RW 0x3
#define PTE_HUGE 0x80

/* The PVH note: qemu requires its PT_NOTE segment to have p_align 4 (link.ld). */
.section .note.pvh, "a"
.balign 4
.long 4                         /* name size: "Xen\0" */
.long 4                         /* descriptor size */
.long XEN_ELFNOTE_PHYS32_ENTRY
.asciz "Xen"
.long pvh_start32

.section .boot.text, "ax"
.code32
.global pvh_start32
pvh_start32:
    cli
    cld
    rdtsc                       /* boot timeline zero: as early as we can */
    mov %eax, boot_tsc
    mov %edx, boot_tsc + 4
    mov %ebx, boot_start_info

    lgdt gdt_pointer            /* no usable segments yet: load ours first */
    ljmp $0x18, $1f             /* 32-bit code segment */
1:  mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs

    /* BSS: cleared here, before anything (page tables, stack) lives in it. */
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    shr $2, %ecx
    xor %eax, %eax
    rep stosl                   /* %ebx (start_info) survives: stosl uses eax/ecx/edi */

    /* Bootstrap page tables: PML4[0] → PDPT; PDPT[0..3] → 4 PDs; 2048 × 2 MiB pages. */
    mov $boot_pd, %edi
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $(PTE_PRESENT_RW | PTE_HUGE), %eax
    mov %eax, (%edi, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax               /* bits 32+ of the address: i >> 11 */
    mov %eax, 4(%edi, %ecx, 8)
    inc %ecx
    cmp $2048, %ecx
    jne 2b
    xor %ecx, %ecx
3:  mov %ecx, %eax
    shl $12, %eax
    add $boot_pd, %eax
    or $PTE_PRESENT_RW, %eax
    mov %eax, boot_pdpt(, %ecx, 8)
    inc %ecx
    cmp $4, %ecx
    jne 3b
    mov $boot_pdpt, %eax
    or $PTE_PRESENT_RW, %eax
    mov %eax, boot_pml4

    mov %cr4, %eax
    or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    wrmsr
    mov %cr0, %eax
    and $~CR0_EM, %eax
    or $(CR0_PE | CR0_MP | CR0_NE | CR0_PG), %eax
    mov %eax, %cr0
    ljmp $0x08, $long_mode

.code64
long_mode:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    fninit
    lea kernel_stack_top(%rip), %rsp
    xor %ebp, %ebp
    mov boot_start_info(%rip), %edi
    call shim_main
4:  cli
    hlt
    jmp 4b

/* Flat GDT used until C installs its own with a TSS (shim/arch/gdt.c). */
.section .rodata
.balign 8
gdt:
    .quad 0                     /* 0x00 null */
    .quad 0x00af9a000000ffff    /* 0x08 64-bit code */
    .quad 0x00cf92000000ffff    /* 0x10 data */
    .quad 0x00cf9a000000ffff    /* 0x18 32-bit code */
gdt_end:
gdt_pointer:
    .word gdt_end - gdt - 1
    .long gdt

.section .data
.balign 8
.global boot_tsc, boot_start_info
boot_tsc: .quad 0
boot_start_info: .quad 0

.section .bss
.balign 4096
boot_pml4: .skip 4096
boot_pdpt: .skip 4096
boot_pd: .skip 4 * 4096

/*
 * The kernel stack: 2 MiB (QuickJS's recursion limit is set from this size) with
 * one page below it that paging.c leaves unmapped, so an overflow faults at once
 * instead of overwriting whatever lies below. It sits outside BSS (link.ld), so
 * entry.S does not spend time clearing 2 MiB that nobody reads before writing.
 */
#define KERNEL_STACK_SIZE (2 * 1024 * 1024)
.section .stack, "aw", @nobits
.balign 4096
.global kernel_stack_guard, kernel_stack_bottom, kernel_stack_top
kernel_stack_guard: .skip 4096
kernel_stack_bottom: .skip KERNEL_STACK_SIZE
kernel_stack_top:
