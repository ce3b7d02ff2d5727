import { describe, expect, it } from 'vitest';
import { formatBytes, parseByteSize } from '../src/util/byte-size.ts';

describe('byte sizes', () => {
  it('reads sizes as users write them, in binary units', () => {
    expect(parseByteSize('1073741824')).toBe(1024 ** 3);
    expect(parseByteSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('2 gb')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize('512MiB')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('300KiB')).toBe(300 * 1024);
    expect(parseByteSize('10b')).toBe(10);
  });

  it('refuses what is not a positive size, saying what was expected', () => {
    for (const text of ['', 'lots', '-1GiB', '0', '1e999', '2 GiBs', 'GiB', '1.5.2M', '99999999999T'])
      expect(() => parseByteSize(text, '--max-decoded-bytes'), text).toThrow(
        `--max-decoded-bytes: expected a size such as 512MiB, 2GiB or a number of bytes, got '${text}'`,
      );
  });

  it('formats sizes in the largest unit that fits', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(300 * 1024)).toBe('300.0 KiB');
    expect(formatBytes(1024 ** 3)).toBe('1.0 GiB');
  });
});
