/*
 * libsodium's own cost of each ristretto255 operation the tally uses, in C, on this machine: the bound
 * the tally's arithmetic is measured against (docs/performance.md "Backends"). CPU time of the process
 * (CLOCK_PROCESS_CPUTIME_ID), so that other jobs on a shared machine change it little.
 * `npm run bench:libsodium` (gcc and Debian's libsodium-dev).
 */
#include <sodium.h>
#include <stdio.h>
#include <time.h>

static double cpu(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

#define N 20000
#define REPORT(name, start) printf("{\"op\":\"%s\",\"n\":%d,\"cpuMicroseconds\":%.2f}\n", name, N, (cpu() - (start)) / N * 1e6)

int main(void) {
  static unsigned char s[N][32], p[N][32], out[32];
  if (sodium_init() < 0) return 1;
  for (int i = 0; i < N; i++) {
    crypto_core_ristretto255_scalar_random(s[i]);
    if (crypto_scalarmult_ristretto255_base(p[i], s[i]) != 0) return 1;
  }
  double t = cpu();
  for (int i = 0; i < N; i++) if (crypto_scalarmult_ristretto255(out, s[i], p[(i + 1) % N]) != 0) return 1;
  REPORT("mul", t);
  t = cpu();
  for (int i = 0; i < N; i++) if (crypto_scalarmult_ristretto255_base(out, s[i]) != 0) return 1;
  REPORT("mulBase", t);
  t = cpu();
  for (int i = 0; i < N; i++) if (crypto_core_ristretto255_add(out, p[i], p[(i + 1) % N]) != 0) return 1;
  REPORT("add", t);
  t = cpu();
  for (int i = 0; i < N; i++) if (!crypto_core_ristretto255_is_valid_point(p[i])) return 1;
  REPORT("isValidPoint", t);
  return 0;
}
