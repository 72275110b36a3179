// The workflow bundle's entry: every workflow the worker runs.
export { postLifecycle } from './postLifecycle';
export { creditPurchase } from './creditPurchase';
export { seriesOccurrence } from './seriesOccurrence';
export { botCommand } from './botCommand';
