/**
 * Solves A·x = b for a symmetric positive-definite n×n matrix `a` (row-major; only the lower
 * triangle is read) by Cholesky factorisation A = L·Lᵀ. `a` is overwritten with L. Returns null
 * when the matrix is not (numerically) positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let s = a[rowI + j] as number;
      for (let k = 0; k < j; k++) s -= (a[rowI + k] as number) * (a[rowJ + k] as number);
      if (i === j) {
        if (!(s > 0)) return null;
        a[rowI + i] = Math.sqrt(s);
      } else {
        a[rowI + j] = s / (a[rowJ + j] as number);
      }
    }
  }
  // L·z = b
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (a[rowI + k] as number) * (z[k] as number);
    z[i] = s / (a[rowI + i] as number);
  }
  // Lᵀ·x = z
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < n; k++) s -= (a[k * n + i] as number) * (x[k] as number);
    x[i] = s / (a[i * n + i] as number);
  }
  return x;
}
