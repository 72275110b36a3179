import { randomBytes } from 'node:crypto';
import { encryptionKey, seal, unseal } from '../../core/crypto';

const key = encryptionKey(randomBytes(32).toString('base64'));

describe('sealing secrets at rest (AES-256-GCM)', () => {
  it('round-trips, and a changed byte of the data is refused', () => {
    const sealed = seal('li-access-token', key);
    expect(unseal(sealed, key)).toBe('li-access-token');
    const data = Buffer.from(sealed.data, 'base64');
    data[0]! ^= 1;
    expect(() => unseal({ ...sealed, data: data.toString('base64') }, key)).toThrow();
  });

  it('refuses a truncated authentication tag, which GCM would otherwise check only as far as it goes', () => {
    const sealed = seal('li-access-token', key);
    const tag = Buffer.from(sealed.tag, 'base64');
    expect(tag).toHaveLength(16);
    for (const bytes of [4, 8, 12, 15]) {
      expect(() => unseal({ ...sealed, tag: tag.subarray(0, bytes).toString('base64') }, key)).toThrow(/authentication tag/);
    }
  });

  it('refuses a tag that is too long or an IV of the wrong size', () => {
    const sealed = seal('x', key);
    expect(() => unseal({ ...sealed, tag: Buffer.concat([Buffer.from(sealed.tag, 'base64'), Buffer.alloc(1)]).toString('base64') }, key)).toThrow(
      /authentication tag/,
    );
    expect(() => unseal({ ...sealed, iv: randomBytes(16).toString('base64') }, key)).toThrow(/IV/);
  });
});
