import { describe, expect, it } from 'vitest';
import { environmentError, knownGoodRef, preDeployRef, shortSha, tagPrefixError } from '../../src/core/tag-names.ts';

describe('tag names', () => {
  it('keeps known-good and pre-deploy tags under <prefix>/<env>/', () => {
    expect(knownGoodRef('deploy-guard', 'production')).toBe('tags/deploy-guard/production/known-good');
    expect(preDeployRef('deploy-guard', 'staging', '12345', '2')).toBe('tags/deploy-guard/staging/deploy-12345-2');
  });

  it('gives a re-run (a new attempt) its own pre-deploy tag', () => {
    expect(preDeployRef('p', 'e', '7', '1')).not.toBe(preDeployRef('p', 'e', '7', '2'));
  });

  it.each(['production', 'staging-eu.1', 'qa_2'])('accepts environment %s', (env) => {
    expect(environmentError(env)).toBeUndefined();
  });

  it.each(['prod uction', 'a/b', 'prod;rm', '', '.hidden', 'a..b', 'x.lock', '$(id)', 'prod\n'])('refuses environment %j', (env) => {
    expect(environmentError(env)).toBeDefined();
  });

  it.each(['deploy-guard', 'ops/deploys'])('accepts tag prefix %s', (p) => {
    expect(tagPrefixError(p)).toBeUndefined();
  });

  it.each(['', 'a//b', '/a', 'a/', 'a b', 'a/.b', 'x..y', 'a~1', 'a^b', 'a:b'])('refuses tag prefix %j', (p) => {
    expect(tagPrefixError(p)).toBeDefined();
  });

  it('shortens shas to 7 characters', () => {
    expect(shortSha('0123456789abcdef')).toBe('0123456');
  });
});
