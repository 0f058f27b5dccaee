/*
 * Sceau's native group backend (docs/performance.md "Backends"): libsodium's ristretto255 operations on
 * packed lists of 32-byte encodings, one Node-API call per list. Nothing here is cryptography of our own:
 * each product, sum and map is one libsodium call; this file only loops and moves bytes.
 *
 * Contract (src/core/crypto/backend/native.ts checks lengths before calling): every point is a canonical
 * encoding already checked with firstInvalid; scalars are < L. libsodium returns -1 when a product is the
 * identity (its encoding, 32 zero bytes, is still written); a -1 for any other reason is a broken
 * contract and throws rather than returning a wrong point.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <sodium.h>
#include <string.h>

#define PT 32

static napi_value fail(napi_env env, const char *what) {
  napi_throw_error(env, "SCEAU_NATIVE", what);
  return NULL;
}

/* The bytes of the i-th argument, which must be a Uint8Array. */
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
  for (size_t i = 0; i < want; i++) if (!bytes_arg(env, argv[i], &d[i], &l[i])) return 0;
  return 1;
}

/* s·P, where an identity result is an answer, not an error. */
static int times(unsigned char *out, const unsigned char *s, const unsigned char *p) {
  if (crypto_scalarmult_ristretto255(out, s, p) == 0) return 1;
  return crypto_core_ristretto255_is_valid_point(p) && sodium_is_zero(out, PT);
}

static int times_base(unsigned char *out, const unsigned char *s) {
  return crypto_scalarmult_ristretto255_base(out, s) == 0 || sodium_is_zero(out, PT);
}

static napi_value first_invalid(napi_env env, napi_callback_info info) {
  unsigned char *d[1];
  size_t l[1];
  if (!args(env, info, 1, d, l)) return fail(env, "firstInvalid: a Uint8Array expected");
  int64_t bad = -1;
  for (size_t i = 0; i < l[0] / PT; i++) {
    if (!crypto_core_ristretto255_is_valid_point(d[0] + i * PT)) { bad = (int64_t)i; break; }
  }
  napi_value r;
  napi_create_int64(env, bad, &r);
  return r;
}

static napi_value mul_base(napi_env env, napi_callback_info info) {
  unsigned char *d[1], *out;
  size_t l[1];
  if (!args(env, info, 1, d, l)) return fail(env, "mulBase: a Uint8Array expected");
  napi_value r = new_bytes(env, l[0], &out);
  if (r == NULL) return fail(env, "mulBase: out of memory");
  for (size_t i = 0; i < l[0] / PT; i++) {
    if (!times_base(out + i * PT, d[0] + i * PT)) return fail(env, "mulBase: libsodium refused a scalar");
  }
  return r;
}

static napi_value mul_one(napi_env env, napi_callback_info info) {
  unsigned char *d[2], *out;
  size_t l[2];
  if (!args(env, info, 2, d, l)) return fail(env, "mulOne: two Uint8Arrays expected");
  napi_value r = new_bytes(env, l[0], &out);
  if (r == NULL) return fail(env, "mulOne: out of memory");
  for (size_t i = 0; i < l[0] / PT; i++) {
    if (!times(out + i * PT, d[0] + i * PT, d[1])) return fail(env, "mulOne: invalid point");
  }
  return r;
}

static napi_value mul(napi_env env, napi_callback_info info) {
  unsigned char *d[2], *out;
  size_t l[2];
  if (!args(env, info, 2, d, l)) return fail(env, "mul: two Uint8Arrays expected");
  napi_value r = new_bytes(env, l[1], &out);
  if (r == NULL) return fail(env, "mul: out of memory");
  for (size_t i = 0; i < l[1] / PT; i++) {
    if (!times(out + i * PT, d[0] + i * PT, d[1] + i * PT)) return fail(env, "mul: invalid point");
  }
  return r;
}

static napi_value pairwise(napi_env env, napi_callback_info info, int subtract) {
  unsigned char *d[2], *out;
  size_t l[2];
  if (!args(env, info, 2, d, l)) return fail(env, "add/sub: two Uint8Arrays expected");
  napi_value r = new_bytes(env, l[0], &out);
  if (r == NULL) return fail(env, "add/sub: out of memory");
  for (size_t i = 0; i < l[0] / PT; i++) {
    int rc = subtract ? crypto_core_ristretto255_sub(out + i * PT, d[0] + i * PT, d[1] + i * PT)
                      : crypto_core_ristretto255_add(out + i * PT, d[0] + i * PT, d[1] + i * PT);
    if (rc != 0) return fail(env, "add/sub: invalid point");
  }
  return r;
}

static napi_value add(napi_env env, napi_callback_info info) { return pairwise(env, info, 0); }
static napi_value sub(napi_env env, napi_callback_info info) { return pairwise(env, info, 1); }

/* Σ s_i·P_i as a running sum of products: libsodium has no multi-scalar multiplication in its API. */
static napi_value msm(napi_env env, napi_callback_info info) {
  unsigned char *d[2], *out, term[PT];
  size_t l[2];
  if (!args(env, info, 2, d, l)) return fail(env, "msm: two Uint8Arrays expected");
  napi_value r = new_bytes(env, PT, &out);
  if (r == NULL) return fail(env, "msm: out of memory");
  memset(out, 0, PT);
  for (size_t i = 0; i < l[1] / PT; i++) {
    if (!times(term, d[0] + i * PT, d[1] + i * PT)) return fail(env, "msm: invalid point");
    if (crypto_core_ristretto255_add(out, out, term) != 0) return fail(env, "msm: libsodium refused a sum");
  }
  sodium_memzero(term, PT);
  return r;
}

static napi_value from_uniform(napi_env env, napi_callback_info info) {
  unsigned char *d[1], *out;
  size_t l[1];
  if (!args(env, info, 1, d, l)) return fail(env, "fromUniform: a Uint8Array expected");
  size_t n = l[0] / 64;
  napi_value r = new_bytes(env, n * PT, &out);
  if (r == NULL) return fail(env, "fromUniform: out of memory");
  for (size_t i = 0; i < n; i++) {
    if (crypto_core_ristretto255_from_hash(out + i * PT, d[0] + i * 64) != 0) return fail(env, "fromUniform: libsodium refused");
  }
  return r;
}

NAPI_MODULE_INIT() {
  if (sodium_init() < 0) return fail(env, "libsodium failed to initialise");
  const napi_property_descriptor fns[] = {
    {"firstInvalid", NULL, first_invalid, NULL, NULL, NULL, napi_enumerable, NULL},
    {"mulBase", NULL, mul_base, NULL, NULL, NULL, napi_enumerable, NULL},
    {"mulOne", NULL, mul_one, NULL, NULL, NULL, napi_enumerable, NULL},
    {"mul", NULL, mul, NULL, NULL, NULL, napi_enumerable, NULL},
    {"add", NULL, add, NULL, NULL, NULL, napi_enumerable, NULL},
    {"sub", NULL, sub, NULL, NULL, NULL, napi_enumerable, NULL},
    {"msm", NULL, msm, NULL, NULL, NULL, napi_enumerable, NULL},
    {"fromUniform", NULL, from_uniform, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
  return exports;
}
