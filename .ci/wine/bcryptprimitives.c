/* Test-only shim: Debian 12's Wine 8.0 lacks bcryptprimitives.dll, which
   Go >= 1.22 binaries load at start for ProcessPrng. Real Windows 10/11
   ship it; this forwards to RtlGenRandom so the smoke test can run. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
    if (!SystemFunction036(data, n)) return FALSE;
    data += n; len -= n;
  }
  return TRUE;
}
