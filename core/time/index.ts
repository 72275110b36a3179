export { formatInZone, isValidTimeZone } from './format';
export { parseWhen, type WhenOptions, type WhenResult } from './parseWhen';
