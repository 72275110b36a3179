// What the measurements led to change, kept with the code that writes BENCHMARKS.md so every
// regenerated report still says it. Edit when a change is made because of a number.
export const FINDINGS = `(to be filled in once the numbers are in)`;
