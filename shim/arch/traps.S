/*
 * traps.S: one entry stub per vector. Each pushes a dummy error code when the CPU
 * does not, then the vector number, saves every general register into a
 * struct trap_frame (shim/include/traps.h) and calls trap_dispatch(frame).
 * Exceptions (0–31) run on IST stacks (gdt.c), so a bad stack pointer or musl's
 * red zone cannot make things worse; device and timer interrupts arrive only
 * inside hal_wait's halt and run on the kernel stack.
 */
.macro STUB vector
    .balign 16
trap_stub_\vector:
    .if (\vector == 8 || (\vector >= 10 && \vector <= 14) || \vector == 17 || \vector == 21 || \vector == 29 || \vector == 30)
    .else
    push $0
    .endif
    push $\vector
    jmp trap_common
.endm

.text
trap_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    mov %rsp, %rbx              /* callee-saved: the frame, across the call */
    and $-16, %rsp
    call trap_dispatch
    mov %rbx, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp               /* vector and error code */
    iretq

.altmacro
.macro STUBS from, to
    STUB %from
    .if \to-\from
    STUBS %(\from+1), \to
    .endif
.endm
STUBS 0, 63
STUBS 64, 127
STUBS 128, 191
STUBS 192, 255

.macro ADDR vector
    .quad trap_stub_\vector
.endm
.macro ADDRS from, to
    ADDR %from
    .if \to-\from
    ADDRS %(\from+1), \to
    .endif
.endm
.section .rodata
.balign 8
.global trap_stub_table
trap_stub_table:
ADDRS 0, 63
ADDRS 64, 127
ADDRS 128, 191
ADDRS 192, 255
