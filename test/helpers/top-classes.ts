/**
 * Full per-step probabilities cut as the recogniser's output is (src/engines/health-code/paddle/
 * top-choices.ts): each step's `k` likeliest classes, best first, equal probabilities by class index.
 */
export function topClassesOf(probs: Float32Array, classes: number, k: number) {
  const steps = probs.length / classes;
  const values = new Float32Array(steps * k);
  const indices = new Int32Array(steps * k);
  for (let t = 0; t < steps; t++) {
    const order = [...probs.subarray(t * classes, (t + 1) * classes)].map((p, c) => ({ p, c }));
    order.sort((a, b) => b.p - a.p || a.c - b.c);
    order.slice(0, k).forEach((e, j) => {
      values[t * k + j] = e.p;
      indices[t * k + j] = e.c;
    });
  }
  return { values, indices, k };
}
