// Facts about LinkedIn's post format the panel shows the author.

/** LinkedIn rejects a post longer than this (characters as a person counts them). */
export const LINKEDIN_MAX_CHARS = 3000;

/** The feed shows this much before "…see more" (about; LinkedIn also cuts at the third line). */
export const FOLD_CHARS = { desktop: 210, mobile: 140 } as const;
export type Device = keyof typeof FOLD_CHARS;

export const charCount = (text: string): number => Array.from(text).length;

/** What the feed shows before the fold, and whether there is more. */
export function foldPreview(text: string, device: Device): { visible: string; folded: boolean } {
  const chars = Array.from(text);
  const lines = text.split('\n');
  // Three lines or the character budget, whichever comes first.
  const byLines = lines.length > 3 ? Array.from(lines.slice(0, 3).join('\n')).length : Infinity;
  const cut = Math.min(FOLD_CHARS[device], byLines);
  if (chars.length <= cut) return { visible: text, folded: false };
  return { visible: chars.slice(0, cut).join('').replace(/\s+$/, ''), folded: true };
}

export const COMPOSE_URL = 'https://www.linkedin.com/sharing/compose/';

/** Languages offered in the panel; the API accepts any code or name, these are the common ones. */
export const LANGUAGES: { code: string; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
  { code: 'pt', name: 'Português' },
  { code: 'it', name: 'Italiano' },
  { code: 'nl', name: 'Nederlands' },
  { code: 'pl', name: 'Polski' },
  { code: 'sv', name: 'Svenska' },
  { code: 'tr', name: 'Türkçe' },
  { code: 'hi', name: 'हिन्दी' },
  { code: 'ja', name: '日本語' },
  { code: 'zh', name: '中文' },
];

export function defaultLanguage(): string {
  const lang = (globalThis as { navigator?: { language?: string } }).navigator?.language;
  const code = (lang || 'en').split('-')[0] || 'en';
  return LANGUAGES.some((l) => l.code === code) ? code : 'en';
}
