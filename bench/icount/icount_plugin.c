/*
 * icount_plugin: a qemu TCG plugin that counts the guest instructions executed, per
 * translation block, into a table in a shared-memory file the benchmark reads while the
 * guest runs (bench/icount/counts.ts). Two reads around a load give the instructions that
 * load cost: deterministic where CPU time on this shared host moves by 20 %, and, with the
 * blocks' addresses looked up in build/skiff.sym.elf, a profile of the guest's C code.
 *
 *   qemu-system-x86_64 … -plugin build/bench/icount_plugin.so,out=/dev/shm/FILE[,slots=N]
 *
 * The file: a header, then `capacity` slots of {block address, instructions in the block,
 * instructions executed in it}. Each translation of a block takes a new slot (a block translated again after a
 * flush gets another; the reader adds them up by address); when the slots run out, blocks
 * count into slot 0, the overflow slot, whose address is 0. The header's `total` counts
 * every instruction. Counting is inline (qemu adds to the slot in the translated code),
 * done when a block starts: a block left early by a fault counts whole.
 *
 * The plugin API is declared here, not included: Debian ships qemu's plugin loader but not
 * qemu-plugin.h. The declarations are the documented ones of QEMU_PLUGIN_VERSION 1
 * (qemu 7.x, docs/devel/tcg-plugins.rst), the few this plugin uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- the qemu plugin API (qemu-plugin.h, version 1) ---- */
typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t; /* only passed through */
struct qemu_plugin_tb;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))
QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/* ---- the shared table (counts.ts reads this layout) ---- */
#define ICOUNT_MAGIC 0x32746e756f63696bULL /* "kicount2", little-endian */
#define DEFAULT_SLOTS (1u << 20)

struct icount_header {
  uint64_t magic;
  uint64_t capacity; /* slots after the header, slot 0 included */
  uint64_t used;     /* slots taken (slot 0 is always taken) */
  uint64_t total;    /* instructions executed, all blocks */
};

struct icount_slot {
  uint64_t vaddr;
  uint64_t size;  /* instructions in the block: insns / size is how often it ran */
  uint64_t insns;
};

static struct icount_header *header;
static struct icount_slot *slots;

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  uint64_t insns = qemu_plugin_tb_n_insns(tb);
  uint64_t index = __atomic_fetch_add(&header->used, 1, __ATOMIC_RELAXED);
  struct icount_slot *slot = &slots[0];
  if (index < header->capacity) {
    slot = &slots[index];
    slot->vaddr = qemu_plugin_tb_vaddr(tb);
    slot->size = insns;
  } else {
    __atomic_store_n(&header->used, header->capacity, __ATOMIC_RELAXED);
  }
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &slot->insns, insns);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &header->total, insns);
}

/* "key=value" → value when the argument is that key, else NULL. */
static const char *argument(const char *arg, const char *key) {
  size_t length = strlen(key);
  return strncmp(arg, key, length) == 0 && arg[length] == '=' ? arg + length + 1 : NULL;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  const char *out = NULL;
  uint64_t capacity = DEFAULT_SLOTS;
  for (int i = 0; i < argc; i++) {
    const char *value;
    if ((value = argument(argv[i], "out")) != NULL) {
      out = value;
    } else if ((value = argument(argv[i], "slots")) != NULL) {
      char *end;
      capacity = strtoull(value, &end, 10);
      if (*end != '\0' || capacity < 2) {
        fprintf(stderr, "icount_plugin: slots=%s is not a count of at least 2\n", value);
        return -1;
      }
    } else {
      fprintf(stderr, "icount_plugin: unknown argument %s (out=FILE, slots=N)\n", argv[i]);
      return -1;
    }
  }
  if (out == NULL) {
    fprintf(stderr, "icount_plugin: no out=FILE given\n");
    return -1;
  }
  size_t bytes = sizeof(struct icount_header) + capacity * sizeof(struct icount_slot);
  int fd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ftruncate(fd, (off_t)bytes) != 0) {
    fprintf(stderr, "icount_plugin: cannot create %s: %s\n", out, strerror(errno));
    return -1;
  }
  void *map = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (map == MAP_FAILED) {
    fprintf(stderr, "icount_plugin: cannot map %s: %s\n", out, strerror(errno));
    return -1;
  }
  header = map;
  slots = (struct icount_slot *)(header + 1);
  header->capacity = capacity;
  header->used = 1; /* slot 0: the overflow slot */
  header->total = 0;
  __atomic_store_n(&header->magic, ICOUNT_MAGIC, __ATOMIC_RELEASE);
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  return 0;
}
