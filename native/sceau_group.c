/*
 * Sceau's native group backend (docs/performance.md "Backends"): libsodium's ristretto255 operations on
 * packed lists of 32-byte encodings, one Node-API call per list. Nothing here is cryptography of our own:
 * each product, sum and map is one libsodium call; this file only loops, moves bytes and splits a long
 * list across threads.
 *
 * Contract: every point is a canonical encoding already checked with firstInvalid. Lengths and scalars
 * (< L) are checked here, whoever calls (and again by src/core/crypto/backend/native.ts, which names the
 * operation in its error). libsodium returns -1
 * when a product is the identity (its encoding, 32 zero bytes, is still written); a -1 for any other
 * reason is a broken contract and throws rather than returning a wrong point.
 *
 * Threads: a list is cut into index ranges, one per thread, and the machine's cores are shared among the
 * calls running at that moment (the module is loaded once per process, so every worker thread of the
 * pipeline counts in `active_calls`): the last large constituency of a tally, or a single one, uses every
 * core, while two workers busy at once take one core each. Every range runs the same libsodium calls as
 * one loop would, so the result does not depend on the number of threads (test/core/backend.test.ts).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define PT 32
#define MAX_THREADS 64
/* Below this many items per thread, starting a thread costs more than it saves. */
#define MIN_PER_THREAD 64

enum op { OP_VALID, OP_MUL_BASE, OP_MUL_ONE, OP_MUL, OP_ADD, OP_SUB, OP_MSM, OP_UNIFORM };

typedef struct {
  enum op op;
  size_t from, to;
  const unsigned char *x, *y;
  unsigned char *out;
  unsigned char sum[PT]; /* OP_MSM: this range's partial sum */
  size_t bad;            /* OP_VALID: first invalid index of this range, or SIZE_MAX */
  int ok;
} range_t;

static atomic_int active_calls;
static atomic_int configured_threads; /* 0: one per online processor */

/*
 * A canonical ristretto255 encoding (RFC 9496 §4.3.1): libsodium 1.0.18's is_valid_point ignores bit 255,
 * accepting the encodings of s + 2^255, which the RFC (and @noble/curves, the reference) refuse as
 * non-canonical. Refused here first, so that every backend gives the same verdict on every byte string.
 */
static int canonical_point(const unsigned char *p) {
  return (p[PT - 1] & 0x80) == 0 && crypto_core_ristretto255_is_valid_point(p);
}

/* s·P, where an identity result is an answer, not an error. */
static int times(unsigned char *out, const unsigned char *s, const unsigned char *p) {
  if (crypto_scalarmult_ristretto255(out, s, p) == 0) return 1;
  return crypto_core_ristretto255_is_valid_point(p) && sodium_is_zero(out, PT);
}

static int times_base(unsigned char *out, const unsigned char *s) {
  return crypto_scalarmult_ristretto255_base(out, s) == 0 || sodium_is_zero(out, PT);
}

static int one(range_t *r, size_t i, unsigned char *term) {
  const size_t at = i * PT;
  switch (r->op) {
    case OP_VALID: return canonical_point(r->x + at);
    case OP_MUL_BASE: return times_base(r->out + at, r->x + at);
    case OP_MUL_ONE: return times(r->out + at, r->x + at, r->y);
    case OP_MUL: return times(r->out + at, r->x + at, r->y + at);
    case OP_ADD: return crypto_core_ristretto255_add(r->out + at, r->x + at, r->y + at) == 0;
    case OP_SUB: return crypto_core_ristretto255_sub(r->out + at, r->x + at, r->y + at) == 0;
    case OP_MSM: return times(term, r->x + at, r->y + at) && crypto_core_ristretto255_add(r->sum, r->sum, term) == 0;
    case OP_UNIFORM: return crypto_core_ristretto255_from_hash(r->out + at, r->x + i * 64) == 0;
  }
  return 0;
}

static void run_range(range_t *r) {
  unsigned char term[PT];
  memset(r->sum, 0, PT);
  r->bad = SIZE_MAX;
  r->ok = 1;
  for (size_t i = r->from; i < r->to; i++) {
    if (one(r, i, term)) continue;
    if (r->op == OP_VALID) r->bad = i;
    else r->ok = 0;
    break;
  }
  sodium_memzero(term, PT);
}

static void *thread_main(void *arg) {
  run_range((range_t *)arg);
  return NULL;
}

/* The cores shared among the calls running now (this one included), at most one thread per 64 items. */
static int threads_for(size_t n, int active) {
  long cores = atomic_load(&configured_threads);
  if (cores <= 0) cores = sysconf(_SC_NPROCESSORS_ONLN);
  long t = cores / (active > 0 ? active : 1);
  if (t > (long)(n / MIN_PER_THREAD)) t = (long)(n / MIN_PER_THREAD);
  if (t > MAX_THREADS) t = MAX_THREADS;
  return t < 1 ? 1 : (int)t;
}

/* `op` over items 0 … n−1; 1 when every item succeeded. `sum` gets Σ for OP_MSM, `bad` the first invalid for OP_VALID. */
static int run(enum op op, size_t n, const unsigned char *x, const unsigned char *y, unsigned char *out, unsigned char *sum, size_t *bad) {
  range_t r[MAX_THREADS];
  pthread_t th[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  int t = threads_for(n, atomic_fetch_add(&active_calls, 1) + 1);
  for (int k = 0; k < t; k++) {
    r[k] = (range_t){.op = op, .from = n * k / t, .to = n * (k + 1) / t, .x = x, .y = y, .out = out};
  }
  for (int k = 1; k < t; k++) started[k] = pthread_create(&th[k], NULL, thread_main, &r[k]) == 0;
  run_range(&r[0]);
  /* A thread that could not start is run here: the answer never depends on the threads. */
  for (int k = 1; k < t; k++) {
    if (started[k]) pthread_join(th[k], NULL);
    else run_range(&r[k]);
  }
  atomic_fetch_sub(&active_calls, 1);
  int ok = 1;
  if (sum != NULL) memset(sum, 0, PT);
  if (bad != NULL) *bad = SIZE_MAX;
  for (int k = 0; k < t; k++) {
    ok = ok && r[k].ok;
    if (ok && sum != NULL) ok = crypto_core_ristretto255_add(sum, sum, r[k].sum) == 0;
    if (bad != NULL && r[k].bad < *bad) *bad = r[k].bad;
    sodium_memzero(r[k].sum, PT);
  }
  return ok;
}

static napi_value fail(napi_env env, const char *what) {
  napi_throw_error(env, "SCEAU_NATIVE", what);
  return NULL;
}

static int bytes_arg(napi_env env, napi_value v, unsigned char **data, size_t *len) {
  napi_typedarray_type type;
  void *raw;
  if (napi_get_typedarray_info(env, v, &type, len, &raw, NULL, NULL) != napi_ok || type != napi_uint8_array) return 0;
  *data = (unsigned char *)raw;
  return 1;
}

static napi_value new_bytes(napi_env env, size_t len, unsigned char **data) {
  napi_value buffer, array;
  void *raw;
  if (napi_create_arraybuffer(env, len, &raw, &buffer) != napi_ok) return NULL;
  if (napi_create_typedarray(env, napi_uint8_array, len, buffer, 0, &array) != napi_ok) return NULL;
  *data = (unsigned char *)raw;
  return array;
}

static int args(napi_env env, napi_callback_info info, size_t want, unsigned char **d, size_t *l) {
  napi_value argv[2];
  size_t argc = 2;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) return 0;
  for (size_t i = 0; i < want; i++)
    if (!bytes_arg(env, argv[i], &d[i], &l[i])) return 0;
  return 1;
}

/* L, little-endian: libsodium would take a scalar >= L modulo L, or drop its top bit. */
static const unsigned char L_BYTES[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};

static int scalars_below_l(const unsigned char *s, size_t bytes) {
  for (size_t at = 0; at < bytes; at += PT) {
    int k = PT - 1;
    while (k >= 0 && s[at + k] == L_BYTES[k]) k--;
    if (k < 0 || s[at + k] > L_BYTES[k]) return 0;
  }
  return 1;
}

/* The shapes each operation takes; the module checks them itself, whoever calls it. */
static int shapes_ok(enum op op, const size_t *l, const unsigned char *const *d) {
  switch (op) {
    case OP_VALID: return l[0] % PT == 0;
    case OP_MUL_BASE: return l[0] % PT == 0 && scalars_below_l(d[0], l[0]);
    case OP_MUL_ONE: return l[0] % PT == 0 && l[1] == PT && scalars_below_l(d[0], l[0]);
    case OP_MUL:
    case OP_MSM: return l[0] % PT == 0 && l[1] == l[0] && scalars_below_l(d[0], l[0]);
    case OP_ADD:
    case OP_SUB: return l[0] % PT == 0 && l[1] == l[0];
    case OP_UNIFORM: return l[0] % 64 == 0;
  }
  return 0;
}

/* One call: the arguments, their shapes, then the operation over the whole list. */
static napi_value list_op(napi_env env, napi_callback_info info, enum op op, size_t inputs, const char *name) {
  unsigned char *d[2] = {NULL, NULL}, *out = NULL;
  size_t l[2] = {0, 0}, bad = SIZE_MAX;
  if (!args(env, info, inputs, d, l) || !shapes_ok(op, l, (const unsigned char *const *)d)) return fail(env, "invalid arguments: lengths or a scalar >= L");
  size_t n = op == OP_UNIFORM ? l[0] / 64 : l[0] / PT;
  napi_value r = new_bytes(env, op == OP_MSM ? PT : (op == OP_VALID ? 0 : n * PT), &out);
  if (r == NULL) return fail(env, "out of memory");
  if (!run(op, n, d[0], d[1], op == OP_MSM ? NULL : out, op == OP_MSM ? out : NULL, op == OP_VALID ? &bad : NULL)) return fail(env, name);
  if (op != OP_VALID) return r;
  napi_value index;
  napi_create_int64(env, bad == SIZE_MAX ? -1 : (int64_t)bad, &index);
  return index;
}

static napi_value first_invalid(napi_env env, napi_callback_info info) { return list_op(env, info, OP_VALID, 1, "firstInvalid"); }
static napi_value mul_base(napi_env env, napi_callback_info info) { return list_op(env, info, OP_MUL_BASE, 1, "mulBase: libsodium refused a scalar"); }
static napi_value mul_one(napi_env env, napi_callback_info info) { return list_op(env, info, OP_MUL_ONE, 2, "mulOne: invalid point"); }
static napi_value mul(napi_env env, napi_callback_info info) { return list_op(env, info, OP_MUL, 2, "mul: invalid point"); }
static napi_value add(napi_env env, napi_callback_info info) { return list_op(env, info, OP_ADD, 2, "add/sub: invalid point"); }
static napi_value sub(napi_env env, napi_callback_info info) { return list_op(env, info, OP_SUB, 2, "add/sub: invalid point"); }
/* Σ s_i·P_i as running sums of products, one per range: libsodium has no multi-scalar multiplication. */
static napi_value msm(napi_env env, napi_callback_info info) { return list_op(env, info, OP_MSM, 2, "msm: invalid point"); }
static napi_value from_uniform(napi_env env, napi_callback_info info) { return list_op(env, info, OP_UNIFORM, 1, "fromUniform: libsodium refused"); }

/* Tests and benchmarks: the number of cores to share (0: every online processor). Returns the previous. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[1], r;
  size_t argc = 1;
  int32_t n = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 0) {
    return fail(env, "setThreads: a count >= 0 expected");
  }
  napi_create_int32(env, atomic_exchange(&configured_threads, n), &r);
  return r;
}

/*
 * Large buffers straight from the system, and back to it when freed (docs/performance.md "Memory"). The
 * tally's byte lists (a mix's text, packed ciphertexts: megabytes each) are allocated by one worker thread
 * and freed by another. By default glibc raises its mmap threshold to the size of the last large block
 * freed (up to 32 MB), after which such blocks come from the threads' arenas, which keep them: a mix of
 * 100,000 ballots and its check peaked 60 MB higher that way. A fixed threshold (the default's starting
 * value) turns that adjustment off. Once per process: every worker thread loads this module.
 */
static atomic_flag allocator_tuned = ATOMIC_FLAG_INIT;
static void tune_allocator(void) {
#ifdef __GLIBC__
  if (!atomic_flag_test_and_set(&allocator_tuned)) mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

NAPI_MODULE_INIT() {
  if (sodium_init() < 0) return fail(env, "libsodium failed to initialise");
  tune_allocator();
  const napi_property_descriptor fns[] = {
    {"firstInvalid", NULL, first_invalid, NULL, NULL, NULL, napi_enumerable, NULL},
    {"mulBase", NULL, mul_base, NULL, NULL, NULL, napi_enumerable, NULL},
    {"mulOne", NULL, mul_one, NULL, NULL, NULL, napi_enumerable, NULL},
    {"mul", NULL, mul, NULL, NULL, NULL, napi_enumerable, NULL},
    {"add", NULL, add, NULL, NULL, NULL, napi_enumerable, NULL},
    {"sub", NULL, sub, NULL, NULL, NULL, napi_enumerable, NULL},
    {"msm", NULL, msm, NULL, NULL, NULL, napi_enumerable, NULL},
    {"fromUniform", NULL, from_uniform, NULL, NULL, NULL, napi_enumerable, NULL},
    {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
  return exports;
}
