import { describe, expect, it } from 'vitest';
import { listedReleases, previousVersion } from '../upgrade/previousRelease';

const released = (...versions: string[]) =>
  versions.map((v) => `## ${v} (2026-11-2${v.length % 9})\n\n- a change\n`);

describe('the release an upgrade starts from', () => {
  it('is the newest listed release when the tree has unreleased changes on top of it', () => {
    const changelog = ['# Changelog\n', '## Unreleased\n\n- more\n', ...released('1.1.0', '1.0.0')].join(
      '\n',
    );
    expect(listedReleases(changelog)).toEqual(['1.1.0', '1.0.0']);
    expect(previousVersion(changelog)).toBe('1.1.0');
  });

  it('is the one before the newest when the tree is the newest release', () => {
    const changelog = ['# Changelog\n', ...released('1.1.0', '1.0.0')].join('\n');
    expect(previousVersion(changelog)).toBe('1.0.0');
  });

  it('is none for a first release', () => {
    expect(previousVersion(['# Changelog\n', ...released('1.0.0')].join('\n'))).toBeNull();
  });
});
